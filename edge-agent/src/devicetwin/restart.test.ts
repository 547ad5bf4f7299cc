/**
 * Offline autonomy: an agent restarted without any cloud restores its devices and twins from
 * SQLite and the profile from the meta store, and keeps serving mappers.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeviceTopicSuffix, deviceTopic } from "@kubeedge-ts/contract";
import { afterAll, describe, expect, it } from "vitest";
import { MqttRecorder, waitFor } from "@kubeedge-ts/testkit";
import { sampleProfile } from "./testdata/fixtures.js";
import { startTestAgent, type TestAgent } from "./testdata/agent.js";

const dir = mkdtempSync(join(tmpdir(), "twin-restart-"));
const running: TestAgent[] = [];
afterAll(async () => {
  for (const t of running) await t.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function mapperOn(t: TestAgent): Promise<MqttRecorder> {
  return MqttRecorder.start(t.url, [
    deviceTopic("default/thermo", DeviceTopicSuffix.TwinGetResult),
    deviceTopic("default/thermo", DeviceTopicSuffix.TwinUpdateResult),
  ]);
}

describe("DeviceTwin across a restart without the cloud", () => {
  it("answers from what it stored before", async () => {
    const first = await startTestAgent({ dir });
    running.push(first);
    first.setProfile(sampleProfile("30"), "7");
    await waitFor("profile applied", () => first.twin.state!.size === 1);
    const m1 = await mapperOn(first);
    await m1.publish(deviceTopic("default/thermo", DeviceTopicSuffix.TwinUpdate), {
      event_id: "before",
      twin: { temperature: { actual: { value: "21", metadata: { timestamp: Date.now() } } } },
    });
    await waitFor("update stored", () => m1.messages.some(m => m.payload.event_id === "before"));
    await m1.close();
    await first.stop();
    running.pop();

    const second = await startTestAgent({ dir });
    running.push(second);
    expect(second.twin.state!.size).toBe(1);
    const m2 = await mapperOn(second);
    await m2.publish(deviceTopic("default/thermo", DeviceTopicSuffix.TwinGet), {
      event_id: "after",
    });
    const got = await waitFor("twin get answered", () =>
      m2.messages.find(m => m.payload.event_id === "after"),
    );
    const twin = got.payload.twin as Record<
      string,
      { actual?: { value: string }; expected?: { value: string } }
    >;
    expect(twin.temperature?.actual?.value).toBe("21");
    expect(twin.temperature?.expected?.value).toBe("30");
    // The model's types came back with the profile from the meta store: validation still applies.
    await m2.publish(deviceTopic("default/thermo", DeviceTopicSuffix.TwinUpdate), {
      event_id: "typed",
      twin: { power: { actual: { value: "maybe" } } },
    });
    const refused = await waitFor("typed update answered", () =>
      m2.messages.find(m => m.payload.event_id === "typed"),
    );
    expect(refused.payload.code).toBe(400);
    await m2.close();
  });
});
