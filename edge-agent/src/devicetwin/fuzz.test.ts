/**
 * 10,000 random payloads on the agent's topics, through the embedded broker: afterwards the
 * agent still answers, /healthz is ok, and what SQLite holds is what memory holds, with
 * nothing illegal stored. Seeded, so a failure reproduces. The topics are the ones a mapper
 * may publish (the broker's ACL cuts a client that publishes others: see
 * `eventbus/mqtt-fuzz.test.ts` for random topics and packets).
 */
import {
  DeviceTopicSuffix,
  NodeTopicSuffix,
  TWIN_KEY_PATTERN,
  deviceTopic,
  nodeTopic,
  parseDeviceTopic,
} from "@kubeedge-ts/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MqttRecorder, eventually, seededRandom } from "@kubeedge-ts/testkit";
import { sampleProfile } from "./testdata/fixtures.js";
import { startTestAgent, type TestAgent } from "./testdata/agent.js";
import { validateValue } from "./validate.js";

const FUZZ_COUNT = 10_000;

function fuzzer(seed: number) {
  const r = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const str = (max: number): string =>
    Array.from({ length: Math.floor(r() * max) }, () =>
      String.fromCharCode(32 + Math.floor(r() * 95)),
    ).join("");
  const scalar = (): unknown =>
    pick([
      null,
      true,
      false,
      0,
      -1,
      1e308,
      3.5,
      "",
      "25",
      "true",
      str(20),
      "x".repeat(600),
      [],
      {},
    ]);
  const value = (depth: number): unknown => {
    if (depth > 3 || r() < 0.4) return scalar();
    if (r() < 0.3) return Array.from({ length: Math.floor(r() * 4) }, () => value(depth + 1));
    const keys = [
      "value",
      "metadata",
      "timestamp",
      "type",
      "expected",
      "actual",
      "optional",
      "cloud",
      "edge",
      str(6),
    ];
    return Object.fromEntries(
      Array.from({ length: Math.floor(r() * 4) }, () => [pick(keys), value(depth + 1)]),
    );
  };
  const key = (): string =>
    pick(["temperature", "power", "humidity", "x", "", "a b", "k".repeat(130), str(10)]);
  const twinEntry = (): unknown =>
    pick([
      null,
      value(1),
      {
        actual: {
          value: pick(["1", "25", "-3", "true", "hot", str(8)]),
          metadata: { timestamp: Math.floor(r() * 2e12) },
        },
        metadata: { type: pick(["int", "float", "string", "boolean", "weird"]) },
      },
      {
        expected: { value: str(5) },
        expected_version: { cloud: Math.floor(r() * 1000), edge: Math.floor(r() * 5) },
      },
      {
        actual: { value: str(5) },
        actual_version: { cloud: 0, edge: Math.floor(r() * 50) },
        optional: pick([true, false, "no"]),
      },
    ]);
  const payload = (): string => {
    const kind = r();
    if (kind < 0.1) return str(40);
    if (kind < 0.15)
      return Buffer.from(Array.from({ length: 30 }, () => Math.floor(r() * 256))).toString(
        "latin1",
      );
    if (kind < 0.25) return JSON.stringify(value(0));
    const msg: Record<string, unknown> = {
      event_id: pick(["e", "", 5, null, str(10)]),
      timestamp: pick([1, -1, "now", 1.7e12]),
    };
    if (r() < 0.8)
      msg.twin =
        r() < 0.1
          ? value(1)
          : Object.fromEntries(
              Array.from({ length: 1 + Math.floor(r() * 3) }, () => [key(), twinEntry()]),
            );
    if (r() < 0.3) msg.state = pick(["online", "OFFLINE", "ok", "bad", 3, null]);
    return JSON.stringify(msg);
  };
  const ids = ["default/thermo", "thermo"];
  const suffixes = [
    DeviceTopicSuffix.TwinUpdate,
    DeviceTopicSuffix.TwinGet,
    DeviceTopicSuffix.StateUpdate,
  ];
  const topic = (): string =>
    r() < 0.05
      ? nodeTopic("edge-1", NodeTopicSuffix.MembershipGet)
      : deviceTopic(pick(ids), pick(suffixes));
  return { payload, topic };
}

describe("DeviceTwin under fuzzing", () => {
  let t: TestAgent;
  let mapper: MqttRecorder;

  beforeAll(async () => {
    t = await startTestAgent({ twin: { reporter: { defaultCycleMs: 20, minCycleMs: 10 } } });
    t.setProfile(sampleProfile("30"), "100");
    await eventually("profile applied", () => t.twin.state!.size === 1);
    mapper = await MqttRecorder.start(t.url, [
      nodeTopic(t.nodeName, NodeTopicSuffix.MembershipGetResult),
    ]);
  });

  afterAll(async () => {
    await mapper?.close();
    await t?.stop();
  });

  it(`survives ${FUZZ_COUNT} random payloads healthy and consistent`, async () => {
    const f = fuzzer(20261123);
    let routable = 0;
    const handledBefore = t.twin.engine!.handled;
    for (let i = 0; i < FUZZ_COUNT; i++) {
      const topic = f.topic();
      if (parseDeviceTopic(topic) || topic.includes(`/${t.nodeName}/`)) routable++;
      mapper.client.publish(topic, f.payload(), { qos: 0 });
      if (i % 500 === 499) await new Promise(resolve => setImmediate(resolve));
    }
    await mapper.publish(nodeTopic(t.nodeName, NodeTopicSuffix.MembershipGet), {
      event_id: "after-fuzz",
    });
    await eventually(
      "agent answers after fuzzing",
      () => mapper.messages.some(m => m.payload.event_id === "after-fuzz"),
      60_000,
    );

    const health = await fetch(`http://127.0.0.1:${t.agent.healthPort}/healthz`);
    expect(health.status).toBe(200);
    // Every routable message was handled (+1: the final membership get).
    expect(t.twin.engine!.handled - handledBefore).toBe(routable + 1);
    expect(t.twin.engine!.refused).toBeGreaterThan(FUZZ_COUNT / 2);

    const db = t.agent.db;
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(db.pragma("foreign_key_check")).toEqual([]);
    const stored = t.twin.state!.tables.loadAll();
    expect(stored).toEqual(t.twin.state!.list());
    expect(stored.map(d => d.id)).toEqual(["default/thermo"]);
    for (const [key, twin] of Object.entries(stored[0]!.twins)) {
      expect(key).toMatch(TWIN_KEY_PATTERN);
      for (const side of ["expected", "actual"] as const) {
        const v = twin[side]?.value;
        if (v === undefined) continue;
        expect(v.length).toBeLessThanOrEqual(512);
        expect(validateValue(twin.metadata?.type ?? "string", v)).toBeUndefined();
      }
    }
    // The declared twins survive whatever was thrown at them.
    expect(stored[0]!.twins.temperature?.optional).toBe(false);
    expect(stored[0]!.twins.temperature?.metadata?.type).toBe("int");
  }, 120_000);
});
