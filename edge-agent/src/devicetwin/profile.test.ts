import { describe, expect, it } from "vitest";
import { cloudTwinUpdate } from "./profile-sync.js";
import { buildDelta } from "./twin-merge.js";
import { sampleProfile } from "./testdata/fixtures.js";
import { desiredDevices, diffAttributes, planMembership, profileFromConfigMap } from "./profile.js";

const cm = (profile: unknown, rv = "42", ns = "default") => ({
  metadata: { name: "device-profile-config-n1", namespace: ns, resourceVersion: rv },
  data: { "deviceProfile.json": JSON.stringify(profile) },
});

describe("profileFromConfigMap", () => {
  it.each([
    { name: "no key", cm: { metadata: { name: "x" }, data: {} }, err: /no key/ },
    {
      name: "not JSON",
      cm: { metadata: { name: "x" }, data: { "deviceProfile.json": "{" } },
      err: /not JSON/,
    },
    {
      name: "no list",
      cm: cm({ deviceInstances: 3 }),
      err: /profile.deviceInstances must be array/,
    },
  ])("refuses a profile with $name", ({ cm: c, err }) => {
    expect(() => profileFromConfigMap(c as never)).toThrow(err);
  });
});

describe("desiredDevices", () => {
  it("reads types, desired values, attributes and the shortest report cycle", () => {
    const got = desiredDevices([profileFromConfigMap(cm(sampleProfile()))]);
    expect([...got.keys()]).toEqual(["default/thermo"]);
    const { device, version } = got.get("default/thermo")!;
    expect(version).toBe(42);
    expect(device.declaredTypes).toEqual({ temperature: "int", power: "boolean" });
    expect(device.desired).toEqual({ temperature: "30" });
    expect(device.reportCycleMs).toBe(500);
    expect(device.attributes.model!.value).toBe("thermo-model");
    expect(device.attributes.protocol!.value).toBe("modbus");
  });

  it("takes no report cycle from other devices' top-level visitors when its own list is []", () => {
    const p = sampleProfile();
    p.propertyVisitors = p.deviceInstances[0]!.propertyVisitors!;
    p.deviceInstances[0]!.propertyVisitors = [];
    const got = desiredDevices([profileFromConfigMap(cm(p))]).get("default/thermo")!;
    expect(got.device.reportCycleMs).toBeUndefined();
  });

  it("treats an omitted report cycle as KubeEdge's one-second default", () => {
    const p = sampleProfile();
    for (const v of p.deviceInstances[0]!.propertyVisitors!) delete v.reportCycle;
    const got = desiredDevices([profileFromConfigMap(cm(p))]).get("default/thermo")!;
    expect(got.device.reportCycleMs).toBe(1000);
  });

  it("takes the wire id from the profile: the bare name, or namespace/name when it says so", () => {
    const bare = desiredDevices([profileFromConfigMap(cm(sampleProfile()))]);
    expect(bare.get("default/thermo")!.device.wireId).toBe("thermo");
    const twoLevel = sampleProfile();
    twoLevel.deviceInstances[0]!.id = "default/thermo";
    const got = desiredDevices([profileFromConfigMap(cm(twoLevel))]);
    expect(got.get("default/thermo")!.device.wireId).toBe("default/thermo");
    const odd = sampleProfile();
    odd.deviceInstances[0]!.id = "a/b/c";
    expect(
      desiredDevices([profileFromConfigMap(cm(odd))]).get("default/thermo")!.device.wireId,
    ).toBe("thermo");
  });

  it("takes a device listed twice from the newer ConfigMap", () => {
    const a = profileFromConfigMap(cm(sampleProfile("1"), "10"));
    const b = profileFromConfigMap(cm(sampleProfile("2"), "20"));
    expect(desiredDevices([b, a]).get("default/thermo")!.device.desired.temperature).toBe("2");
  });
});

describe("planMembership and diffAttributes", () => {
  it("splits added, removed and kept", () => {
    expect(planMembership(["a", "b"], ["b", "c"])).toEqual({
      added: ["c"],
      removed: ["a"],
      kept: ["b"],
    });
  });
  it("finds changed and removed attributes", () => {
    const s = (v: string) => ({ value: v, metadata: { type: "string" } });
    expect(diffAttributes({ a: s("1"), b: s("2") }, { a: s("1"), c: s("3") })).toEqual({
      c: s("3"),
      b: null,
    });
  });
});

describe("cloudTwinUpdate", () => {
  const want = desiredDevices([profileFromConfigMap(cm(sampleProfile()))]).get(
    "default/thermo",
  )!.device;
  it.each([
    {
      name: "creates declared twins, with the desired value where there is one",
      held: {},
      out: {
        temperature: {
          expected: { value: "30" },
          expected_version: { cloud: 42, edge: 0 },
          optional: false,
          metadata: { type: "int" },
        },
        power: { optional: false, metadata: { type: "boolean" } },
      },
    },
    {
      name: "sends nothing when the desired value is held",
      held: {
        temperature: { expected: { value: "30" }, optional: false, metadata: { type: "int" } },
        power: { optional: false, metadata: { type: "boolean" } },
      },
      out: {},
    },
    {
      name: "changes the desired value keeping the edge version, drops cloud twins the model lost",
      held: {
        temperature: {
          expected: { value: "20" },
          expected_version: { cloud: 3, edge: 2 },
          optional: false,
          metadata: { type: "int" },
        },
        power: { optional: false, metadata: { type: "boolean" } },
        old: { optional: false, metadata: { type: "int" } },
        mapperAdded: { optional: true, metadata: { type: "int" } },
      },
      out: {
        temperature: {
          expected: { value: "30" },
          expected_version: { cloud: 42, edge: 2 },
          metadata: { type: "int" },
        },
        old: null,
      },
    },
    {
      name: "re-sends the held desired value when the model changed its type, to be judged again",
      held: {
        temperature: {
          expected: { value: "30" },
          expected_version: { cloud: 3, edge: 1 },
          optional: false,
          metadata: { type: "string" },
        },
        power: { optional: false, metadata: { type: "string" } },
      },
      out: {
        temperature: {
          expected: { value: "30" },
          expected_version: { cloud: 42, edge: 1 },
          metadata: { type: "int" },
        },
        power: { metadata: { type: "boolean" } },
      },
    },
  ])("$name", ({ held, out }) => {
    expect(cloudTwinUpdate(held as never, want, 42)).toEqual(out);
  });

  it("declares a twin whose desired value is empty (KubeEdge style) without a delta", () => {
    const p = sampleProfile();
    p.deviceInstances[0]!.twins = [
      { propertyName: "temperature", desired: { value: "", metadata: { type: "int" } } },
      { propertyName: "power" },
    ];
    const declared = desiredDevices([profileFromConfigMap(cm(p))]).get("default/thermo")!.device;
    const update = cloudTwinUpdate({}, declared, 42);
    expect(update).toEqual({
      temperature: { optional: false, metadata: { type: "int" } },
      power: { optional: false, metadata: { type: "boolean" } },
    });
    expect(buildDelta(update as never)).toBeUndefined();
  });
});
