/**
 * One hollow edge node: the agent's real core (meta store, outbox with its coalescers, module
 * bus), meta manager, DeviceTwin and EdgeHub — registration, Lease renewals, Node status, the
 * node's watches, the outbox drain — with its own client certificate. Left out because they
 * cost only the edge: the SQLite file (an in-memory database per node), the MQTT broker
 * (mapper reports enter DeviceTwin as the EventBus hands them over), edged's container runtime
 * and the local health server.
 */
import { DeviceTopicSuffix, deviceTopic } from "@kubeedge-ts/contract";
import type { Logger } from "pino";
import { startAgent, type Agent } from "../../edge-agent/src/agent/agent.js";
import { newMessage } from "../../edge-agent/src/beehive/message.js";
import { ModuleName } from "../../edge-agent/src/beehive/names.js";
import { defaultConfig } from "../../edge-agent/src/config/defaults.js";
import { DeviceTwinModule } from "../../edge-agent/src/devicetwin/index.js";
import { EdgeHubModule } from "../../edge-agent/src/edgehub/index.js";
import { BusOperation } from "../../edge-agent/src/eventbus/routes.js";
import { MetaManagerModule } from "../../edge-agent/src/metamanager/index.js";

/** A delta DeviceTwin published for one device: what the mapper would receive. */
export interface DeltaSeen {
  device: string;
  delta: Record<string, string>;
  at: number;
}

export interface HollowNode {
  name: string;
  agent: Agent;
  twin: DeviceTwinModule;
  /** A mapper report of `property` = `value` for `device`, as the EventBus forwards it. */
  report(device: string, property: string, value: string): void;
  stop(): Promise<void>;
}

export interface HollowNodeOptions {
  name: string;
  kubeconfig: string;
  log: Logger;
  /** Seconds between Lease renewals and between Node status updates (agent defaults 10/10). */
  heartbeatSeconds?: number;
  onDelta?: (seen: DeltaSeen) => void;
}

export async function startHollowNode(o: HollowNodeOptions): Promise<HollowNode> {
  const config = defaultConfig();
  config.nodeName = o.name;
  config.dataDir = "";
  config.database.dataSource = ":memory:";
  config.modules.edgeHub.kubeconfig = o.kubeconfig;
  if (o.heartbeatSeconds) config.modules.edgeHub.heartbeat = o.heartbeatSeconds;
  config.modules.eventBus.enable = false;
  config.modules.edged.enable = false;
  const twin = new DeviceTwinModule();
  twin.onProfileApplied = publishes => {
    const at = Date.now();
    for (const p of publishes) {
      if (!p.topic.endsWith(DeviceTopicSuffix.TwinUpdateDelta)) continue;
      const device = p.topic.split("/").at(-4) ?? "";
      const body = JSON.parse(String(p.payload)) as { delta?: Record<string, string> };
      o.onDelta?.({ device, delta: body.delta ?? {}, at });
    }
  };
  const agent = await startAgent(config, {
    modules: [new MetaManagerModule(), twin, new EdgeHubModule()],
    log: o.log.child({ node: o.name }),
    healthServer: false,
  });
  return {
    name: o.name,
    agent,
    twin,
    report(device, property, value) {
      const now = Date.now();
      const payload = JSON.stringify({
        event_id: `${device}-${now}`,
        timestamp: now,
        twin: { [property]: { actual: { value, metadata: { timestamp: now } } } },
      });
      const batch = [{ topic: deviceTopic(device, DeviceTopicSuffix.TwinUpdate), payload }];
      const router = {
        source: ModuleName.EventBus,
        resource: "mqtt",
        operation: BusOperation.MqttMessageBatch,
      };
      agent.bus.send(ModuleName.DeviceTwin, newMessage(router, batch));
    },
    stop: () => agent.stop(),
  };
}
