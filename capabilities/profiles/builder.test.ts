import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { boundNode } from "../shared/node-binding.js";
import { buildProfile } from "./builder.js";
import { readOrUpdateGolden } from "./golden.js";
import { planNamespace } from "./plan.js";
import type { Device, DeviceModel } from "../../crds/index.js";

const here = import.meta.dirname;

function load(file: string): { devices: Device[]; models: DeviceModel[] } {
  const docs = parseAllDocuments(readFileSync(join(here, "testdata", file), "utf8")).map(d =>
    d.toJS(),
  );
  return {
    devices: docs.filter(d => d.kind === "Device"),
    models: docs.filter(d => d.kind === "DeviceModel"),
  };
}

/** What a golden file holds: every profile of the namespace, parsed, plus the skipped devices. */
function planView(file: string): unknown {
  const { devices, models } = load(file);
  const namespaces = [...new Set(devices.map(d => d.metadata!.namespace!))].sort();
  return namespaces.map(ns => {
    const plan = planNamespace(ns, devices, models);
    return {
      namespace: ns,
      profiles: plan.profiles.map(p => ({
        node: p.node,
        deviceCount: p.deviceCount,
        profile: JSON.parse(p.document),
      })),
      skipped: plan.skipped,
    };
  });
}

describe("device profile golden files", () => {
  it.each([
    "modbus-tcp-thermometer",
    "modbus-rtu-thermometer",
    "bluetooth-sensortag",
    "water-utility",
    "edge-cases",
  ])("%s matches its golden file", name => {
    const actual = planView(`${name}.yaml`);
    expect(actual).toEqual(readOrUpdateGolden(join(here, "golden", `${name}.json`), actual));
  });
});

describe("buildProfile", () => {
  const { devices, models } = load("modbus-tcp-thermometer.yaml");

  it("names the protocol <kind>-<namespace>-<device> and uses the bare name as the id", () => {
    const { profile } = buildProfile(devices, models);
    expect(profile.deviceInstances[0].id).toBe("thermometer-01");
    expect(profile.deviceInstances[0].protocol).toBe("modbus-default-thermometer-01");
    expect(profile.protocols.map(p => p.name)).toEqual(["modbus-default-thermometer-01"]);
  });

  it("carries every status twin with its desired value and never reported ones", () => {
    const { profile } = buildProfile(devices, models);
    expect(profile.deviceInstances[0].twins).toEqual([
      {
        propertyName: "temperature-enable",
        desired: { value: "ON", metadata: { type: "string" } },
      },
      { propertyName: "temperature" },
    ]);
    expect(JSON.stringify(profile)).not.toContain("reported");
  });

  it("carries a KubeEdge-style declaration (empty desired value) as written", () => {
    const declared = structuredClone(devices);
    declared[0].status!.twins![1].desired = { value: "", metadata: { type: "int" } };
    const twins = buildProfile(declared, models).profile.deviceInstances[0].twins;
    expect(twins?.[1]).toEqual({
      propertyName: "temperature",
      desired: { value: "", metadata: { type: "int" } },
    });
  });

  it("omits report and collect cycles the Device leaves unset, in both visitor lists", () => {
    const { profile } = buildProfile(devices, models);
    const enable = profile.deviceInstances[0].propertyVisitors?.[1];
    expect(enable?.propertyName).toBe("temperature-enable");
    const json = JSON.parse(JSON.stringify(profile)) as typeof profile;
    for (const v of [json.deviceInstances[0].propertyVisitors![1], json.propertyVisitors[1]]) {
      expect(Object.keys(v)).not.toContain("reportCycle");
      expect(Object.keys(v)).not.toContain("collectCycle");
    }
    expect(json.propertyVisitors).toEqual(json.deviceInstances[0].propertyVisitors);
  });

  it("is unchanged when only reported values change", () => {
    const before = JSON.stringify(buildProfile(devices, models).profile);
    const reported = structuredClone(devices);
    reported[0].status!.twins![1].reported = { value: "99" };
    expect(JSON.stringify(buildProfile(reported, models).profile)).toBe(before);
  });

  it("does not depend on the order devices are listed in", () => {
    const { devices: many, models: ms } = load("water-utility.yaml");
    const a = planNamespace("water", many, ms);
    const b = planNamespace("water", [...many].reverse(), [...ms].reverse());
    expect(b).toEqual(a);
  });

  it("includes only the models its devices use", () => {
    const { devices: many, models: ms } = load("water-utility.yaml");
    const reservoir = many.filter(d => boundNode(d) === "reservoir");
    expect(buildProfile(reservoir, ms).profile.deviceModels.map(m => m.name)).toEqual([
      "valve-actuator",
    ]);
  });

  it("skips a device whose model is missing and says why", () => {
    const { skipped, profile } = buildProfile(devices, []);
    expect(profile.deviceInstances).toEqual([]);
    expect(skipped).toEqual([
      { id: "default/thermometer-01", reason: 'DeviceModel "thermometer" not found' },
    ]);
  });
});
