/**
 * Asks the demo's edge agent, over its broker, which desired value it holds for a twin — the
 * cloud's, or an edge application's override. The Device in the apiserver shows only the
 * cloud's (docs/security.md), so a proof that "the valve holds its desired position" must ask
 * the agent, as a mapper does: `twin/get` with the node's mapper login.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DeviceTopicSuffix, deviceTopic } from "@kubeedge-ts/contract";

interface TwinGetResult {
  twin?: Record<string, { expected?: { value?: string } } | undefined>;
}

/** The mapper login the agent generated in its data dir (0600, the demo's own agent). */
function mapperLogin(dataDir: string): { username: string; password: string } {
  const file = join(dataDir, "mqtt-credentials.json");
  const creds = JSON.parse(readFileSync(file, "utf8")) as {
    mapper?: { username: string; password: string };
  };
  if (!creds.mapper) throw new Error(`${file} has no mapper login`);
  return creds.mapper;
}

export interface AgentTwinReader {
  /** The desired value the agent holds for `property` of `deviceId`, or undefined. */
  desired(deviceId: string, property: string, timeoutMs?: number): Promise<string | undefined>;
  close(): Promise<void>;
}

export async function agentTwinReader(mqttUrl: string, dataDir: string): Promise<AgentTwinReader> {
  const { connectAsync } = await import("mqtt");
  const client = await connectAsync(mqttUrl, { ...mapperLogin(dataDir), reconnectPeriod: 1000 });
  const waiting = new Map<string, (doc: TwinGetResult) => void>();
  client.on("message", (topic, payload) => {
    const done = waiting.get(topic);
    if (!done) return;
    try {
      done(JSON.parse(payload.toString()) as TwinGetResult);
    } catch {
      // Not a twin document: keep waiting for one.
    }
  });
  return {
    async desired(deviceId, property, timeoutMs = 5000) {
      const result = deviceTopic(deviceId, DeviceTopicSuffix.TwinGetResult);
      await client.subscribeAsync(result, { qos: 1 });
      const doc = await new Promise<TwinGetResult | undefined>(resolve => {
        const timer = setTimeout(() => resolve(undefined), timeoutMs);
        waiting.set(result, d => {
          clearTimeout(timer);
          resolve(d);
        });
        const ask = { event_id: `demo-${Date.now()}`, timestamp: Date.now() };
        client.publish(deviceTopic(deviceId, DeviceTopicSuffix.TwinGet), JSON.stringify(ask));
      }).finally(() => waiting.delete(result));
      return doc?.twin?.[property]?.expected?.value;
    },
    close: () => client.endAsync(),
  };
}
