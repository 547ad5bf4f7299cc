import { describe, expect, it } from "vitest";
import type { ProfileProperty } from "@kubeedge-ts/contract";
import { checkDesired } from "./convert.js";

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
      { ok: false, reason: 'temperature: "101" is above maximum 100' },
    ],
    [
      "refuses a desired value below the model minimum",
      temp,
      "-1",
      { ok: false, reason: 'temperature: "-1" is below minimum 0' },
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
