import { describe, expect, it } from "vitest";
import {
  dataMessage,
  parseDelta,
  parseTwinExpected,
  resolveDataTopic,
  stateMessage,
  twinActualMessage,
} from "./twin-messages.js";

describe("twin messages", () => {
  it("builds a twin/update with actual values and type metadata", () => {
    const msg = twinActualMessage({ temperature: { value: "25", type: "int", timestamp: 5 } }, 7);
    expect(msg.timestamp).toBe(7);
    expect(msg.event_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(msg.twin).toEqual({
      temperature: {
        actual: { value: "25", metadata: { timestamp: 5 } },
        metadata: { type: "int" },
      },
    });
  });

  it("builds a state message with and without reason", () => {
    expect(stateMessage("online", undefined, 1)).toMatchObject({ state: "online", timestamp: 1 });
    expect(stateMessage("online", undefined, 1)).not.toHaveProperty("reason");
    expect(stateMessage("unhealthy", "illegal address", 1)).toMatchObject({
      state: "unhealthy",
      reason: "illegal address",
    });
  });

  it.each([
    [
      '{"event_id":"","timestamp":0,"twin":{},"delta":{"temperature":"30"}}',
      { ok: true, value: { temperature: "30" } },
    ],
    [
      '{"delta":{"a":"1","b":2,"c":true,"d":{}}}',
      { ok: true, value: { a: "1", b: "2", c: "true" } },
    ],
    ['{"delta":{"a":"","b":"7"}}', { ok: true, value: { b: "7" } }],
    ['{"twin":{}}', { ok: false, reason: "no delta object" }],
    ["[1]", { ok: false, reason: "payload is not a JSON object" }],
  ])("parses delta %s", (payload, expected) => {
    expect(parseDelta(Buffer.from(payload))).toEqual(expected);
  });

  it("reports malformed JSON", () => {
    const r = parseDelta("{");
    expect(r.ok).toBe(false);
  });

  it("takes non-empty expected values from a twin/get result (empty ones only declare)", () => {
    const payload = JSON.stringify({
      event_id: "",
      timestamp: 0,
      twin: {
        temperature: { expected: { value: "30" }, actual: { value: "25" } },
        humidity: { actual: { value: "40" } },
        declared: { expected: { value: "" }, metadata: { type: "int" } },
        gone: null,
      },
    });
    expect(parseTwinExpected(payload)).toEqual({ ok: true, value: { temperature: "30" } });
  });
});

describe("data messages", () => {
  it("carries value, timestamp and type per property", () => {
    expect(dataMessage({ t: { value: "1.5", type: "float", timestamp: 3 } }, 9).data).toEqual({
      t: { value: "1.5", metadata: { timestamp: 3, type: "float" } },
    });
  });

  it.each([
    ["ns/dev", undefined, "$ke/events/device/ns/dev/data/update"],
    ["ns/dev", "$ke/events/device/+/data/update", "$ke/events/device/ns/dev/data/update"],
    ["dev", "factory/line1/temperature", "factory/line1/temperature"],
  ])("data topic of %s with %s is %s", (id, configured, expected) => {
    expect(resolveDataTopic(id, configured)).toBe(expected);
  });
});
