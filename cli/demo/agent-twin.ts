/**
 * Asks the demo's edge agent, over its broker, which desired value it holds for a twin — the
 * cloud's, or an edge application's override. The Device in the apiserver shows only the
 * cloud's (docs/security.md), so a proof that "the valve holds its desired position" must ask
 * the agent, as a mapper does: `twin/get` with the node's mapper login.
 */
import { DeviceTopicSuffix, deviceTopic } from "@kubeedge-ts/contract";
import { binPath, runToEnd } from "@kubeedge-ts/testkit";

interface TwinGetResult {
  twin?: Record<string, { expected?: { value?: string } } | undefined>;
}

/** The node's mapper login and broker URL, from the agent's own `mqtt-credentials` command. */
async function mapperLogin(agentConfig: string) {
  const r = await runToEnd(binPath("kubeedge-edge"), [
    "mqtt-credentials",
    "--config",
    agentConfig,
    "--role",
    "mapper",
  ]);
  if (r.code !== 0) throw new Error(`kubeedge-edge mqtt-credentials failed: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout) as { username: string; password: string; url: string };
}

export interface AgentTwinReader {
  /** The desired value the agent holds for `property` of `deviceId`, or undefined. */
  desired(deviceId: string, property: string, timeoutMs?: number): Promise<string | undefined>;
  close(): Promise<void>;
}

export async function agentTwinReader(agentConfig: string): Promise<AgentTwinReader> {
  const { connectAsync } = await import("mqtt");
  const { url, username, password } = await mapperLogin(agentConfig);
  const client = await connectAsync(url, { username, password, reconnectPeriod: 1000 });
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
