/**
 * Twin names are data. `__proto__` used to vanish (a plain assignment set the prototype) while
 * the mapper was told success, and `constructor` was refused with a wrong message (it was
 * found on Object.prototype). Each goes through a real agent: update, result, get, SQLite.
 */
import { DeviceTopicSuffix, deviceTopic } from "@kubeedge-ts/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MqttRecorder, eventually } from "@kubeedge-ts/testkit";
import { sampleProfile } from "./testdata/fixtures.js";
import { startTestAgent, type TestAgent } from "./testdata/agent.js";

const ID = sampleProfile().deviceInstances[0]!.id;
let t: TestAgent;
let client: MqttRecorder;

beforeAll(async () => {
  t = await startTestAgent();
  t.setProfile(sampleProfile("30"), "10");
  await eventually("profile applied", () => t.twin.state!.size === 1);
  client = await MqttRecorder.start(t.url, [
    deviceTopic(ID, DeviceTopicSuffix.TwinUpdateResult),
    deviceTopic(ID, DeviceTopicSuffix.TwinGetResult),
  ]);
});

afterAll(async () => {
  await client?.close();
  await t?.stop();
});

async function reply(topic: DeviceTopicSuffix, eventId: string, body: string) {
  await client.publish(deviceTopic(ID, topic), JSON.parse(`{"event_id":"${eventId}",${body}}`));
  const got = await eventually(`${eventId} answered`, () =>
    client.messages.find(m => m.payload.event_id === eventId),
  );
  return got.payload as Record<string, unknown>;
}

describe("twin names that are also Object.prototype's", () => {
  it.each(["__proto__", "constructor", "toString", "hasOwnProperty"])(
    "a mapper's twin named %s is stored and answered like any other",
    async key => {
      const update = await reply(
        DeviceTopicSuffix.TwinUpdate,
        `set-${key}`,
        `"twin":{"${key}":{"actual":{"value":"v-${key}"}}}`,
      );
      expect(update).not.toHaveProperty("code");
      const result = update.twin as Record<string, unknown>;
      expect(Object.hasOwn(result, key)).toBe(true);
      expect(JSON.stringify(update)).toContain(`"${key}":{"actual":{"value":"v-${key}"`);

      const got = await reply(DeviceTopicSuffix.TwinGet, `get-${key}`, `"x":1`);
      const twins = got.twin as Record<string, { actual?: { value: string } }>;
      expect(Object.hasOwn(twins, key)).toBe(true);
      expect(Object.getOwnPropertyDescriptor(twins, key)?.value).toMatchObject({
        actual: { value: `v-${key}` },
      });
      const stored = t.agent.db.prepare("SELECT name FROM device_twin WHERE name = ?").all(key) as {
        name: string;
      }[];
      expect(stored.length).toBe(1);
    },
  );
});
