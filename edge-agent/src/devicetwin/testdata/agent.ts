/**
 * A real edge agent for DeviceTwin's tests and benchmarks: the agent core (SQLite file, outbox,
 * meta store, module bus) with the meta manager, DeviceTwin and EventBus, on the embedded broker
 * or an external one. Device profiles are handed over the way EdgeHub's watch does: stored in
 * the meta store, then sent to the twin group; at a restart the meta manager restores them.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DeviceProfile } from "@kubeedge-ts/contract";
import { startAgent, type Agent } from "../../agent/agent.js";
import { newMessage } from "../../beehive/message.js";
import { Group, ModuleName, Operation } from "../../beehive/names.js";
import { defaultConfig } from "../../config/defaults.js";
import type { AgentConfig, MqttMode } from "../../config/types.js";
import {
  loadOrCreateMqttCredentials,
  type MqttCredentials,
  type UserPassword,
} from "../../eventbus/credentials.js";
import { EventBusModule } from "../../eventbus/index.js";
import { MetaManagerModule } from "../../metamanager/index.js";
import { DeviceTwinModule, type DeviceTwinOptions } from "../index.js";
import { profileConfigMap } from "./fixtures.js";

export interface TestAgent {
  agent: Agent;
  twin: DeviceTwinModule;
  eventbus: EventBusModule;
  /** Where mappers connect: the embedded broker (as the mapper identity), or the external one. */
  url: string;
  /** The embedded broker with these credentials (none: anonymous). */
  brokerUrl(login?: UserPassword): string;
  /** The embedded broker's generated credentials (`<dataDir>/mqtt-credentials.json`). */
  credentials(): MqttCredentials;
  dir: string;
  nodeName: string;
  setProfile(profile: DeviceProfile, resourceVersion: string, namespace?: string): void;
  stop(): Promise<void>;
}

export interface TestAgentOptions {
  mode?: MqttMode;
  externalUrl?: string;
  nodeName?: string;
  twin?: DeviceTwinOptions;
  dir?: string;
  /** Last word on the config before the agent starts. */
  configure?: (config: AgentConfig) => void;
}

export async function startTestAgent(opts: TestAgentOptions = {}): Promise<TestAgent> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), "twin-agent-"));
  const nodeName = opts.nodeName ?? "edge-1";
  const config = defaultConfig();
  config.nodeName = nodeName;
  config.dataDir = dir;
  config.database.dataSource = join(dir, "edge.db");
  config.logLevel = "silent";
  config.server.port = 0;
  const eb = config.modules.eventBus;
  eb.mqttMode = opts.mode ?? "internal";
  eb.mqttServerInternal = "tcp://127.0.0.1:0";
  if (opts.externalUrl) eb.mqttServerExternal = opts.externalUrl;
  opts.configure?.(config);
  const twin = new DeviceTwinModule(opts.twin);
  const eventbus = new EventBusModule();
  const agent = await startAgent(config, {
    modules: [new MetaManagerModule(), twin, eventbus],
  });
  if (!(await eventbus.ready())) throw new Error("external broker subscriptions not confirmed");
  const credentials = (): MqttCredentials =>
    loadOrCreateMqttCredentials(
      dir,
      eb.applications.map(a => a.name),
    );
  const brokerUrl = (login?: UserPassword): string => {
    const auth = login
      ? `${encodeURIComponent(login.username)}:${encodeURIComponent(login.password)}@`
      : "";
    return `mqtt://${auth}127.0.0.1:${eventbus.internal?.port ?? 0}`;
  };
  const url = eb.mqttMode === "external" ? opts.externalUrl! : brokerUrl(credentials().mapper);
  return {
    agent,
    twin,
    eventbus,
    url,
    brokerUrl,
    credentials,
    dir,
    nodeName,
    setProfile(profile, resourceVersion, namespace = "default"): void {
      const cm = profileConfigMap(nodeName, profile, resourceVersion, namespace);
      agent.meta.put("ConfigMap", cm);
      const resource = `${namespace}/configmap/${cm.metadata.name}`;
      const router = { source: ModuleName.EdgeHub, resource, operation: Operation.Update };
      agent.bus.broadcast(Group.Twin, newMessage(router, cm));
    },
    async stop(): Promise<void> {
      await agent.stop();
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
