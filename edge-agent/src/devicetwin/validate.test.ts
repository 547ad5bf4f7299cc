import { describe, expect, it } from "vitest";
import {
  parseGet,
  parseStateUpdate,
  parseTwinUpdate,
  sniffEventId,
  validateValue,
} from "./validate.js";

describe("parseTwinUpdate", () => {
  it.each([
    { name: "not JSON", payload: "{nope", code: 400, reason: /Unmarshal/ },
    { name: "a JSON array", payload: "[1]", code: 400, reason: /JSON object/ },
    { name: "no twin key", payload: '{"event_id":"e"}', code: 400, reason: /key:twin/ },
    {
      name: "event_id not a string",
      payload: '{"event_id":1,"twin":{}}',
      code: 400,
      reason: /event_id/,
    },
    {
      name: "illegal key",
      payload: '{"twin":{"te mp":{"actual":{"value":"1"}}}}',
      code: 400,
      reason: /twin key/,
    },
    {
      name: "key too long",
      payload: JSON.stringify({ twin: { ["k".repeat(129)]: {} } }),
      code: 400,
      reason: /twin key/,
    },
    {
      name: "value is a number",
      payload: '{"twin":{"t":{"actual":{"value":25}}}}',
      code: 400,
      reason: /t.actual.value must be a string/,
    },
    {
      name: "value too long",
      payload: JSON.stringify({ twin: { t: { actual: { value: "x".repeat(513) } } } }),
      code: 400,
      reason: /1 to 512/,
    },
    {
      name: "twin not an object",
      payload: '{"twin":{"t":"25"}}',
      code: 400,
      reason: /object or null/,
    },
    {
      name: "optional not boolean",
      payload: '{"twin":{"t":{"optional":"yes"}}}',
      code: 400,
      reason: /optional/,
    },
    {
      name: "version not integer",
      payload: '{"twin":{"t":{"actual_version":{"edge":1.5}}}}',
      code: 400,
      reason: /integers/,
    },
    {
      name: "negative timestamp",
      payload: '{"twin":{"t":{"actual":{"value":"1","metadata":{"timestamp":-1}}}}}',
      code: 400,
      reason: /timestamp/,
    },
  ])("refuses $name with 400", ({ payload, code, reason }) => {
    const r = parseTwinUpdate(payload);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe(code);
      expect(r.reason).toMatch(reason);
    }
  });

  it("accepts KubeEdge's update shape, null deletes and versions", () => {
    const r = parseTwinUpdate(
      JSON.stringify({
        event_id: "e1",
        timestamp: 1700000000000,
        twin: {
          temperature: {
            actual: { value: "25", metadata: { timestamp: 5 } },
            metadata: { type: "int" },
          },
          "a-b_c.d,e:f/g@h#i": {
            expected: { value: "x" },
            expected_version: { cloud: 2, edge: 1 },
          },
          gone: null,
        },
      }),
    );
    expect(r).toEqual({
      ok: true,
      value: {
        eventId: "e1",
        timestamp: 1700000000000,
        twin: {
          temperature: {
            actual: { value: "25", metadata: { timestamp: 5 } },
            metadata: { type: "int" },
          },
          "a-b_c.d,e:f/g@h#i": {
            expected: { value: "x" },
            expected_version: { cloud: 2, edge: 1 },
          },
          gone: null,
        },
      },
    });
  });
});

describe("empty values", () => {
  it("leaves out a side whose value is empty (KubeEdge mapper framework's expected)", () => {
    const r = parseTwinUpdate('{"twin":{"t":{"actual":{"value":"1"},"expected":{"value":""}}}}');
    expect(r.ok && r.value.twin).toEqual({ t: { actual: { value: "1" } } });
  });
});

describe("validateValue", () => {
  it.each([
    ["int", "25", true],
    ["int", "-3", true],
    ["int", "2.5", false],
    ["int", "abc", false],
    ["float", "2.5", true],
    ["double", "-1e3", true],
    ["float", "NaN", false],
    ["float", "", false],
    ["boolean", "true", true],
    ["boolean", "TRUE", true],
    ["boolean", "on", false],
    ["integer", "7", true],
    ["deleted", "x", true],
    ["string", "anything at all", true],
    ["bytes", "AQID", true],
    ["", "x", true],
    ["complex", "1", false],
  ])("%s %j → valid %s", (type, value, valid) => {
    expect(validateValue(type, value) === undefined).toBe(valid);
  });
});

describe("parseStateUpdate", () => {
  it.each([
    ['{"state":"online"}', "online"],
    ['{"state":"OK","event_id":"x"}', "ok"],
    ['{"state":"Unhealthy"}', "unhealthy"],
  ])("accepts %s", (payload, state) => {
    const r = parseStateUpdate(payload);
    expect(r.ok && r.value.state).toBe(state);
  });

  it.each(['{"state":"exploded"}', '{"state":1}', "{}", "nope"])("refuses %s with 400", payload => {
    const r = parseStateUpdate(payload);
    expect(!r.ok && r.code).toBe(400);
  });
});

describe("parseGet and sniffEventId", () => {
  it("takes an empty payload as a get without event id", () => {
    expect(parseGet("")).toEqual({ ok: true, value: { eventId: "" } });
  });
  it("echoes the event id of a payload it refuses", () => {
    expect(sniffEventId('{"event_id":"abc","twin":5}')).toBe("abc");
    expect(sniffEventId("garbage")).toBe("");
  });
});
