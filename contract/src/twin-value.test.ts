/**
 * One table of every spelling the twin value rules know, checked against the contract and then
 * across the three sides that judge values: cloud admission, the edge agent and the mappers.
 * Whatever admission admits, the agent and the mapper accept with the same canonical value;
 * whatever admission refuses, they refuse too.
 */
import { describe, expect, it } from "vitest";
import { desiredValueProblems } from "../../capabilities/devices/admission/twin-rules.js";
import type { DeviceModelProperty } from "../../crds/index.js";
import { desiredDevices } from "../../edge-agent/src/devicetwin/profile.js";
import { validateValue } from "../../edge-agent/src/devicetwin/validate.js";
import { checkDesired } from "../../mappers/common/src/convert.js";
import type { DeviceProfile } from "./profile.js";
import {
  canonicalTwinValue,
  checkTwinValue,
  dataTypeOfTwinType,
  formatTwinValue,
  parseTwinValue,
  TWIN_KEY_PATTERN,
  TWIN_VALUE_MAX_LENGTH,
  type TwinDataType,
  type TwinValueBounds,
} from "./twin-value.js";

/** [data type, text, canonical text — or undefined when every side must refuse it]. */
type Row = [TwinDataType, string, string | undefined];

const LONG = "x".repeat(TWIN_VALUE_MAX_LENGTH);
const TOO_LONG = `${LONG}x`;

const ROWS: Row[] = [
  // boolean: exactly Go's strconv.ParseBool set
  ...["1", "t", "T", "TRUE", "true", "True"].map((t): Row => ["boolean", t, "true"]),
  ...["0", "f", "F", "FALSE", "false", "False"].map((t): Row => ["boolean", t, "false"]),
  ...["on", "off", "yes", "no", "tRuE", "", " true", "true ", "2"].map(
    (t): Row => ["boolean", t, undefined],
  ),
  // int: ParseInt base 10, within ±(2^53−1)
  ["int", "25", "25"],
  ["int", "+25", "25"],
  ["int", "-3", "-3"],
  ["int", "007", "7"],
  ["int", "-0", "0"],
  ["int", "9007199254740991", "9007199254740991"],
  ["int", "-9007199254740991", "-9007199254740991"],
  ["int", "9007199254740992", undefined],
  ["int", "25.0", undefined],
  ["int", "2.5", undefined],
  ["int", "1e3", undefined],
  ["int", "0x10", undefined],
  ["int", "1_000", undefined],
  ["int", " 5", undefined],
  ["int", "", undefined],
  ["int", "abc", undefined],
  // double: the decimal subset of ParseFloat
  ["double", "21.5", "21.5"],
  ["double", "-1e3", "-1000"],
  ["double", "1E+3", "1000"],
  ["double", ".5", "0.5"],
  ["double", "5.", "5"],
  ["double", "+0.10", "0.1"],
  ["double", "1e308", "1e+308"],
  ["double", "1e309", undefined],
  ["double", "NaN", undefined],
  ["double", "inf", undefined],
  ["double", "+Inf", undefined],
  ["double", "0x1p4", undefined],
  ["double", "1_000", undefined],
  ["double", "", undefined],
  ["double", " 1", undefined],
  ["double", "warm", undefined],
  // float: the same spellings, within single precision
  ["float", "21.5", "21.5"],
  ["float", "0.1", "0.1"],
  ["float", "3.14159265", "3.141593"],
  ["float", "3.4e38", "3.4e+38"],
  ["float", "3.5e38", undefined],
  ["float", "nan", undefined],
  // bytes: standard padded base64
  ["bytes", "AQI=", "AQI="],
  ["bytes", "AQID", "AQID"],
  ["bytes", "", ""],
  ["bytes", "AQI", undefined],
  ["bytes", "not base64!", undefined],
  ["bytes", "AQ-_", undefined],
  // string: anything up to the length limit
  ["string", "hello world", "hello world"],
  ["string", "", ""],
  ["string", LONG, LONG],
  ["string", TOO_LONG, undefined],
  ["int", `1${"0".repeat(TWIN_VALUE_MAX_LENGTH)}`, undefined],
];

describe("twin value rules", () => {
  it.each(ROWS)("%s %j → %j", (dataType, text, canonical) => {
    const got = canonicalTwinValue(dataType, text);
    expect(got.ok ? got.value : undefined).toBe(canonical);
  });

  it("formats every accepted value back to its canonical text", () => {
    for (const [dataType, text, canonical] of ROWS) {
      const parsed = parseTwinValue(dataType, text);
      if (!parsed.ok) continue;
      expect(formatTwinValue(dataType, parsed.value)).toBe(canonical);
    }
  });

  it.each([
    ["int", { minimum: 0, maximum: 100 }, "100", { ok: true, value: 100 }],
    ["int", { minimum: 0, maximum: 100 }, "101", { ok: false, reason: "is above maximum 100" }],
    ["double", { minimum: 0 }, "-0.5", { ok: false, reason: "is below minimum 0" }],
    ["string", { minimum: 5 }, "ab", { ok: true, value: "ab" }],
  ] as [TwinDataType, TwinValueBounds, string, unknown][])(
    "checks %s %j against %j",
    (dataType, bounds, text, want) => {
      expect(checkTwinValue(dataType, bounds, text)).toEqual(want);
    },
  );

  it.each([
    ["int", "int"],
    ["integer", "int"],
    ["boolean", "boolean"],
    ["", "untyped"],
    ["deleted", "untyped"],
    ["complex", undefined],
  ])("reads the twin type %j as %j", (type, want) => {
    expect(dataTypeOfTwinType(type)).toBe(want);
  });

  it.each([
    ["temperature", true],
    ["a-b_c.d,e:f/g@h#i", true],
    ["k".repeat(128), true],
    ["k".repeat(129), false],
    ["room temp", false],
    ["", false],
  ])("twin key %j legal: %s", (key, legal) => {
    expect(TWIN_KEY_PATTERN.test(key)).toBe(legal);
  });
});

function modelProperty(dataType: TwinDataType): DeviceModelProperty {
  return {
    name: "p",
    type: { [dataType]: { accessMode: "ReadWrite" } },
  } as unknown as DeviceModelProperty;
}

/** The agent's view of a desired value: the profile it receives, as the cloud builds it. */
function agentDesired(dataType: TwinDataType, text: string): string | undefined {
  const profile: DeviceProfile = {
    deviceInstances: [
      {
        id: "default/d",
        name: "d",
        namespace: "default",
        protocol: "modbus-default-d",
        model: "m",
        twins: [{ propertyName: "p", desired: { value: text } }],
      },
    ],
    deviceModels: [{ name: "m", properties: [{ name: "p", dataType }] }],
    protocols: [{ name: "modbus-default-d", protocol: "modbus" }],
    propertyVisitors: [],
  };
  const source = { namespace: "default", resourceVersion: "1", profile };
  return desiredDevices([source]).get("default/d")?.device.desired.p;
}

describe("cloud admission, edge agent and mapper agree on every spelling", () => {
  const nonEmpty = ROWS.filter(([, text]) => text !== "");

  it.each(nonEmpty)("%s %j", (dataType, text, canonical) => {
    const admitted = desiredValueProblems("v", modelProperty(dataType), text).length === 0;
    expect(admitted).toBe(canonical !== undefined);

    const agentProblem = validateValue(dataType, text);
    expect(agentProblem === undefined).toBe(admitted);

    const mapper = checkDesired({ name: "p", dataType }, text);
    expect(mapper.ok).toBe(admitted);
    if (!admitted || !mapper.ok) return;

    // Same meaning: the agent passes on the canonical text and accepts it again; the mapper's
    // typed value formats to that very text.
    const desired = agentDesired(dataType, text);
    expect(desired).toBe(canonical);
    expect(validateValue(dataType, desired!)).toBeUndefined();
    expect(formatTwinValue(dataType, mapper.value)).toBe(canonical);
  });
});
