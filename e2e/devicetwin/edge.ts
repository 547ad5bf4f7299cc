/**
 * An in-process edge agent for device-loop e2e tests: the node identity of the shared control
 * plane, every module the config enables (DeviceTwin and EventBus included), the embedded
 * broker on a free port; `brokerUrl` says where a client connects and as whom.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  ModuleName,
  allModules,
  loadConfig,
  loadOrCreateMqttCredentials,
  startAgent,
  type Agent,
  type EdgeApplication,
  type EventBusModule,
} from "@kubeedge-ts/edge-agent";
import { pino } from "pino";
import { stringify } from "yaml";
import { tempDir } from "../edge-agent/agent.js";
import type { TestCluster } from "../harness.js";

export interface TwinAgentOptions {
  /** KubeEdge's own mappers connect without credentials. */
  allowAnonymous?: boolean;
  applications?: EdgeApplication[];
}

export async function startTwinAgent(
  cluster: TestCluster,
  node: string,
  opts: TwinAgentOptions = {},
): Promise<Agent> {
  const dir = tempDir("twin");
  const file = join(dir, "agent.yaml");
  const cfg = {
    nodeName: node,
    dataDir: dir,
    logLevel: "warn",
    server: { port: 0 },
    modules: {
      edgeHub: {
        kubeconfig: await cluster.nodeIdentity(node),
        reconnectInitialMs: 200,
        reconnectMaxMs: 1000,
        requestTimeoutMs: 3000,
      },
      edged: { nodeStatusUpdateFrequency: 5, remoteRuntimeEndpoint: "" },
      eventBus: {
        mqttMode: "internal",
        mqttServerInternal: "tcp://127.0.0.1:0",
        allowAnonymous: opts.allowAnonymous ?? false,
        applications: opts.applications ?? [],
      },
    },
  };
  writeFileSync(file, stringify(cfg));
  const config = loadConfig(file);
  return startAgent(config, {
    modules: allModules().filter(m => m.enabled(config)),
    log: pino({ level: "warn", base: { node } }),
  });
}

/**
 * The embedded broker's URL for a client logging in as the node's mappers (default), as an
 * application declared in the config, or anonymously (`{ anonymous: true }`).
 */
export function brokerUrl(agent: Agent, as: { app?: string; anonymous?: boolean } = {}): string {
  const eventbus = agent.modules.find(m => m.name === ModuleName.EventBus) as EventBusModule;
  const where = `127.0.0.1:${eventbus.internal!.port}`;
  if (as.anonymous) return `mqtt://${where}`;
  const apps = agent.config.modules.eventBus.applications.map(a => a.name);
  const creds = loadOrCreateMqttCredentials(agent.config.dataDir, apps);
  const login = as.app ? creds.applications[as.app]! : creds.mapper;
  return `mqtt://${encodeURIComponent(login.username)}:${encodeURIComponent(login.password)}@${where}`;
}
