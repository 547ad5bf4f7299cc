/**
 * A local process flooding the embedded broker (real aedes, real agent, real mqtt.js clients):
 * held back to its per-client rate, refused and counted once it falls too far behind.
 */
import { performance } from "node:perf_hooks";
import { DeviceTopicSuffix, deviceTopic } from "@kubeedge-ts/contract";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "@kubeedge-ts/testkit";
import { sampleProfile } from "../devicetwin/testdata/fixtures.js";
import { startTestAgent, type TestAgent } from "../devicetwin/testdata/agent.js";

const RATE = 20;
let t: TestAgent;

beforeAll(async () => {
  t = await startTestAgent({
    configure: c => {
      c.modules.eventBus.maxPublishesPerSecond = RATE;
    },
  });
  t.setProfile(sampleProfile("30"), "1");
  await eventually("profile applied", async () => t.twin.state!.size === 1);
});
afterAll(async () => t?.stop());

function refusedForRate(): number {
  const m = /kubeedge_edge_mqtt_refused_total\{reason="rate"\} (\d+)/.exec(
    t.agent.metrics.render(),
  );
  return m ? Number(m[1]) : 0;
}

const get = deviceTopic("thermo", DeviceTopicSuffix.TwinGet);
const getResult = deviceTopic("thermo", DeviceTopicSuffix.TwinGetResult);

describe("the embedded broker's per-client publish rate", () => {
  it("a burst over the rate is held back, not lost", async () => {
    const before = refusedForRate();
    const client = await mqtt.connectAsync(t.url, { reconnectPeriod: 0 });
    await client.subscribeAsync(getResult);
    const answered = new Set<string>();
    client.on("message", (_topic, payload) => {
      answered.add((JSON.parse(payload.toString()) as { event_id: string }).event_id);
    });
    const n = RATE + RATE / 2;
    const started = performance.now();
    for (let i = 0; i < n; i++) client.publish(get, JSON.stringify({ event_id: `g${i}` }));
    await eventually("every get answered", async () => answered.size === n, 20_000);
    // A second's worth at once, the other half second's worth at the rate.
    expect(performance.now() - started).toBeGreaterThanOrEqual(((n - RATE) / RATE) * 1000 - 50);
    expect(refusedForRate()).toBe(before);
    await client.endAsync();
  });

  it("a local process flooding the broker is refused, counted, and cannot keep DeviceTwin busy", async () => {
    const before = refusedForRate();
    const handled = t.twin.engine!.handled;
    const client = await mqtt.connectAsync(t.url, { reconnectPeriod: 0 });
    const closed = new Promise<void>(resolve => client.once("close", () => resolve()));
    for (let i = 0; i < 500; i++) client.publish(get, JSON.stringify({ event_id: `f${i}` }));
    await closed;
    await client.endAsync(true);
    expect(refusedForRate()).toBeGreaterThan(before);
    // At most the burst plus what the rate allowed while it was behind (1 s): far from 500.
    expect(t.twin.engine!.handled - handled).toBeLessThanOrEqual(RATE * 3);
  });
});
