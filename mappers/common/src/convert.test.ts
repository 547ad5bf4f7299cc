import { describe, expect, it } from "vitest";
import type { ProfileProperty } from "@kubeedge-ts/contract";
import { checkDesired, cycleToMs, formatTypedValue, parseTypedValue } from "./convert.js";

describe("parseTypedValue", () => {
  it.each([
    ["25", "int", 25],
    ["-7", "int", -7],
    ["30.0", "int", 30],
    ["21.5", "float", 21.5],
    ["1e3", "double", 1000],
    ["true", "boolean", true],
    ["OFF", "boolean", false],
    ["0", "boolean", false],
    ["hello", "string", "hello"],
  ] as const)("parses %s as %s", (text, type, expected) => {
    expect(parseTypedValue(text, type)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ["25.5", "int"],
    ["abc", "int"],
    ["9007199254740993", "int"],
    ["", "float"],
    ["NaN", "double"],
    ["yes please", "boolean"],
    ["not base64!", "bytes"],
  ] as const)("refuses %j as %s", (text, type) => {
    expect(parseTypedValue(text, type).ok).toBe(false);
  });

  it("decodes base64 bytes", () => {
    expect(parseTypedValue("AQI=", "bytes")).toEqual({ ok: true, value: new Uint8Array([1, 2]) });
  });
});

describe("formatTypedValue", () => {
  it.each([
    [25, "int", "25"],
    [24.6, "int", "25"],
    [0.10000000149011612, "float", "0.1"],
    [21.5, "float", "21.5"],
    [0.1, "double", "0.1"],
    [true, "boolean", "true"],
    [0, "boolean", "false"],
    ["x", "string", "x"],
    [new Uint8Array([1, 2]), "bytes", "AQI="],
  ] as const)("formats %j as %s → %s", (value, type, expected) => {
    expect(formatTypedValue(value, type)).toBe(expected);
  });
});

const temp: ProfileProperty = {
  name: "temperature",
  dataType: "int",
  accessMode: "ReadWrite",
  minimum: 0,
  maximum: 100,
};

describe("checkDesired", () => {
  it.each([
    ["accepts a value in range", temp, "30", { ok: true, value: 30 }],
    ["accepts the maximum itself", temp, "100", { ok: true, value: 100 }],
    [
      "refuses a desired value above the model maximum",
      temp,
      "101",
      { ok: false, reason: "101 is above maximum 100 of temperature" },
    ],
    [
      "refuses a desired value below the model minimum",
      temp,
      "-1",
      { ok: false, reason: "-1 is below minimum 0 of temperature" },
    ],
    [
      "refuses a ReadOnly property",
      { ...temp, accessMode: "ReadOnly" },
      "30",
      { ok: false, reason: "property temperature is ReadOnly" },
    ],
    [
      "treats a missing accessMode as ReadWrite",
      { ...temp, accessMode: undefined },
      "30",
      { ok: true, value: 30 },
    ],
    [
      "refuses a value of the wrong type",
      temp,
      "warm",
      { ok: false, reason: 'temperature: "warm" is not an int' },
    ],
    [
      "ignores range for strings",
      { name: "s", dataType: "string", minimum: 5 },
      "ab",
      { ok: true, value: "ab" },
    ],
  ] as const)("%s", (_name, prop, text, expected) => {
    expect(checkDesired(prop as ProfileProperty, text)).toEqual(expected);
  });
});

describe("cycleToMs", () => {
  it.each([
    [1_000_000_000, 1000],
    [500_000_000, 500],
    [undefined, 2000],
    [0, 2000],
    [1000, 10],
  ])("%s ns → %s ms (fallback 2000)", (ns, ms) => {
    expect(cycleToMs(ns, 2000)).toBe(ms);
  });
});
