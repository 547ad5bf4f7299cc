/**
 * Offline autonomy: an agent restarted without any cloud restores its devices and twins from
 * SQLite and, through the meta manager's Restore messages, the profiles from the meta store,
 * and keeps serving mappers.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeviceTopicSuffix, deviceTopic } from "@kubeedge-ts/contract";
import { afterAll, describe, expect, it } from "vitest";
import { MqttRecorder, eventually } from "@kubeedge-ts/testkit";
import { manyDevicesProfile, sampleProfile } from "./testdata/fixtures.js";
import { startTestAgent, type TestAgent } from "./testdata/agent.js";

const dir = mkdtempSync(join(tmpdir(), "twin-restart-"));
const running: TestAgent[] = [];
afterAll(async () => {
  for (const t of running) await t.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** One device per namespace, each from its own namespace's profile ConfigMap. */
const DEVICES = ["default/thermo", "plant/dev-0"];
/** Their wire ids (the profiles' ids: bare names). */
const WIRE_IDS = ["thermo", "dev-0"];

async function mapperOn(t: TestAgent): Promise<MqttRecorder> {
  return MqttRecorder.start(
    t.url,
    WIRE_IDS.flatMap(id => [
      deviceTopic(id, DeviceTopicSuffix.TwinGetResult),
      deviceTopic(id, DeviceTopicSuffix.TwinUpdateResult),
    ]),
  );
}

type Twins = Record<string, { actual?: { value: string }; expected?: { value: string } }>;

async function twinsOf(m: MqttRecorder, id: string): Promise<Twins> {
  const eventId = `get-${id}`;
  await m.publish(deviceTopic(id, DeviceTopicSuffix.TwinGet), { event_id: eventId });
  const got = await eventually(`twin get of ${id} answered`, () =>
    m.messages.find(r => r.payload.event_id === eventId),
  );
  return got.payload.twin as Twins;
}

describe("DeviceTwin across a restart without the cloud", () => {
  it("answers from what it stored before", async () => {
    const first = await startTestAgent({ dir });
    running.push(first);
    first.setProfile(sampleProfile("30"), "7");
    first.setProfile(manyDevicesProfile(1, "plant"), "8", "plant");
    await eventually("profiles applied", () => first.twin.state!.size === 2);
    const m1 = await mapperOn(first);
    for (const [i, id] of WIRE_IDS.entries()) {
      await m1.publish(deviceTopic(id, DeviceTopicSuffix.TwinUpdate), {
        event_id: `before-${i}`,
        twin: { temperature: { actual: { value: `2${i}`, metadata: { timestamp: Date.now() } } } },
      });
      await eventually("update stored", () =>
        m1.messages.some(m => m.payload.event_id === `before-${i}`),
      );
    }
    await m1.close();
    await first.stop();
    running.pop();

    const second = await startTestAgent({ dir });
    running.push(second);
    expect(second.twin.state!.ids().sort()).toEqual(DEVICES);
    await eventually("both profiles restored", () =>
      DEVICES.every(id => second.twin.state!.declared.has(id)),
    );
    const m2 = await mapperOn(second);
    // Both namespaces' profiles were applied together: had one been applied alone, the other
    // namespace's device would have left the node and come back without its reported value.
    const thermo = await twinsOf(m2, "thermo");
    expect(thermo.temperature?.actual?.value).toBe("20");
    expect(thermo.temperature?.expected?.value).toBe("30");
    expect((await twinsOf(m2, "dev-0")).temperature?.actual?.value).toBe("21");
    // The model's types came back with the profile: validation still applies.
    await m2.publish(deviceTopic("thermo", DeviceTopicSuffix.TwinUpdate), {
      event_id: "typed",
      twin: { power: { actual: { value: "maybe" } } },
    });
    const refused = await eventually("typed update answered", () =>
      m2.messages.find(m => m.payload.event_id === "typed"),
    );
    expect(refused.payload.code).toBe(400);
    await m2.close();
  });
});
