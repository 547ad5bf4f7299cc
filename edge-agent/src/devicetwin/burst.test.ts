/**
 * A burst of maximum-size twin updates (as a flood of mappers sends them) is applied in
 * chunks with the event loop getting a turn in between, so timers — the Lease renewal among
 * them — run during the burst, not only after it. Real agent, real SQLite.
 */
import { DeviceTopicSuffix, deviceTopic } from "@kubeedge-ts/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "@kubeedge-ts/testkit";
import { newMessage } from "../beehive/message.js";
import { ModuleName } from "../beehive/names.js";
import { BusOperation, type InboundMessage } from "../eventbus/routes.js";
import { CHUNK_BYTES } from "./index.js";
import { manyDevicesProfile } from "./testdata/fixtures.js";
import { startTestAgent, type TestAgent } from "./testdata/agent.js";

const DEVICES = 4;
const MESSAGES = 40;
let t: TestAgent;

beforeAll(async () => {
  t = await startTestAgent();
  t.setProfile(manyDevicesProfile(DEVICES), "1");
  await eventually("profile applied", async () => t.twin.state!.size === DEVICES);
});
afterAll(async () => t?.stop());

/** About 60 KiB: 110 twins of 500 characters, like bench/mqtt-flood.ts. */
function bigUpdate(i: number): InboundMessage {
  const twin: Record<string, unknown> = {};
  for (let k = 0; k < 110; k++) {
    twin[`t${k}`] = { actual: { value: String(i % 10).repeat(500) }, metadata: { type: "string" } };
  }
  return {
    topic: deviceTopic(`dev-${i % DEVICES}`, DeviceTopicSuffix.TwinUpdate),
    payload: JSON.stringify({ event_id: `b${i}`, twin }),
  };
}

describe("DeviceTwin under a burst", () => {
  it("a flood of maximum-size updates does not hold the event loop for the whole burst", async () => {
    const batch = Array.from({ length: MESSAGES }, (_, i) => bigUpdate(i));
    expect(batch.reduce((a, m) => a + m.payload.length, 0)).toBeGreaterThan(4 * CHUNK_BYTES);
    const before = t.twin.engine!.handled;
    // What a timer sees of the burst's progress each time the loop gives it a turn.
    const seen: number[] = [];
    let probing = true;
    const probe = (): void => {
      seen.push(t.twin.engine!.handled - before);
      if (probing) setImmediate(probe);
    };
    setImmediate(probe);
    const router = { source: ModuleName.EventBus, resource: "mqtt" };
    t.agent.bus.send(
      ModuleName.DeviceTwin,
      newMessage({ ...router, operation: BusOperation.MqttMessageBatch }, batch),
    );
    await eventually("the burst handled", async () => t.twin.engine!.handled - before === MESSAGES);
    probing = false;
    // Applied in one go, a timer would only ever see none or all of it.
    expect(
      seen.some(n => n > 0 && n < MESSAGES),
      `progress seen: ${seen.join(",")}`,
    ).toBe(true);
    // And each chunk was stored: the last update of every device is in SQLite.
    for (let d = 0; d < DEVICES; d++) {
      const row = t.agent.db
        .prepare("SELECT actual FROM device_twin WHERE deviceid = ? AND name = 't0'")
        .get(`default/dev-${d}`) as { actual: string } | undefined;
      expect(row?.actual).toContain(String((MESSAGES - DEVICES + d) % 10).repeat(500));
    }
  });
});
