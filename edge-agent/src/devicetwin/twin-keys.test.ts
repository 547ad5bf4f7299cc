/**
 * Twin names are data. `__proto__` used to vanish (a plain assignment set the prototype) while
 * the mapper was told success, and `constructor` was refused with a wrong message (it was
 * found on Object.prototype). Each goes through a real agent: update, result, get, SQLite.
 */
import { DeviceTopicSuffix } from "@kubeedge-ts/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwinSession, type TwinSession } from "./testdata/twin-session.js";

let session: TwinSession;

beforeAll(async () => {
  session = await startTwinSession("30", "10");
});

afterAll(async () => {
  await session?.stop();
});

// Built from JSON text so that `__proto__` is an own key of the payload, as it is on the wire.
function reply(topic: DeviceTopicSuffix, eventId: string, body: string) {
  return session.ask(
    topic,
    JSON.parse(`{"event_id":"${eventId}",${body}}`) as { event_id: string },
  );
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
      const stored = session.agent.agent.db
        .prepare("SELECT name FROM device_twin WHERE name = ?")
        .all(key) as {
        name: string;
      }[];
      expect(stored.length).toBe(1);
    },
  );
});
