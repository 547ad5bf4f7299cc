import { describe, expect, it } from "vitest";
import type { DeviceProfile, ProfilePropertyVisitor } from "./profile.js";
import {
  cycleMs,
  DEFAULT_CYCLE_MS,
  deviceVisitors,
  parseDeviceProfile,
  visitorCycles,
} from "./profile-parse.js";

function visitor(propertyName: string, modelName: string): ProfilePropertyVisitor {
  return { name: propertyName, propertyName, modelName, protocol: "modbus", visitorConfig: {} };
}

/** Two devices of one model, as the cloud writes them: own visitors plus a top-level copy. */
function twoDevices(): DeviceProfile {
  const a = [visitor("temperature", "thermo")];
  const b = [visitor("humidity", "thermo")];
  const device = (name: string) => ({
    id: `default/${name}`,
    name,
    protocol: `modbus-default-${name}`,
    model: "thermo",
  });
  return {
    deviceInstances: [
      { ...device("a"), propertyVisitors: a },
      { ...device("b"), propertyVisitors: [] },
      device("c"),
    ],
    deviceModels: [],
    protocols: [],
    propertyVisitors: [...a, ...b, visitor("speed", "fan")],
  };
}

describe("parseDeviceProfile", () => {
  it.each([
    ["{", /^not JSON/],
    ["[]", /^profile must be object$/],
    ['{"deviceInstances": 3}', /^profile.deviceInstances must be array$/],
    ['{"deviceInstances": [1]}', /^profile.deviceInstances\[0\] must be object$/],
    ["{}", /^profile.deviceInstances is required$/],
  ])("refuses %s", (text, reason) => {
    const r = parseDeviceProfile(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it("fills missing lists", () => {
    expect(parseDeviceProfile('{"deviceInstances":[]}')).toEqual({
      ok: true,
      value: { deviceInstances: [], deviceModels: [], protocols: [], propertyVisitors: [] },
    });
  });

  it("accepts visitors without cycles (the cloud omits unset ones, as upstream does)", () => {
    const p = twoDevices();
    const r = parseDeviceProfile(JSON.stringify(p));
    expect(r).toEqual({ ok: true, value: p });
  });
});

describe("deviceVisitors", () => {
  const p = twoDevices();

  it("takes the device's own list", () => {
    expect(deviceVisitors(p, p.deviceInstances[0]!).map(v => v.propertyName)).toEqual([
      "temperature",
    ]);
  });

  it("gives a device whose propertyVisitors is [] no visitors, not other devices' top-level ones", () => {
    expect(deviceVisitors(p, p.deviceInstances[1]!)).toEqual([]);
  });

  it("falls back to the top level only without the key, and only to the device's model", () => {
    expect(deviceVisitors(p, p.deviceInstances[2]!).map(v => v.propertyName)).toEqual([
      "temperature",
      "humidity",
    ]);
  });
});

describe("cycles", () => {
  it.each([
    [1_000_000_000, 1000],
    [500_000_000, 500],
    [15_400_000, 15],
    [1000, 10],
    [undefined, 2000],
    [0, 2000],
    [-5, 2000],
    [Number.NaN, 2000],
  ])("%s ns → %s ms (fallback 2000)", (ns, ms) => {
    expect(cycleMs(ns, 2000)).toBe(ms);
  });

  it.each([
    [{}, undefined, { collectCycleMs: DEFAULT_CYCLE_MS, reportCycleMs: DEFAULT_CYCLE_MS }],
    [{ collectCycle: 200_000_000 }, undefined, { collectCycleMs: 200, reportCycleMs: 200 }],
    [{ reportCycle: 3_000_000_000 }, 500, { collectCycleMs: 500, reportCycleMs: 3000 }],
    [
      { collectCycle: 100_000_000, reportCycle: 400_000_000 },
      undefined,
      { collectCycleMs: 100, reportCycleMs: 400 },
    ],
  ])("visitor %j with default %s → %j", (v, defaultMs, want) => {
    expect(visitorCycles(v, defaultMs)).toEqual(want);
  });
});
