import { describe, expect, it } from "vitest";
import type { DeviceProfile } from "@kubeedge-ts/contract";
import { createDeviceSelector, protocolMatches } from "./profile.js";

interface TestVisitor {
  register: string;
  offset: number;
}

const select = createDeviceSelector<TestVisitor>({
  protocol: "modbus",
  schemas: {
    visitorConfig: {
      type: "object",
      required: ["register", "offset"],
      properties: {
        register: { enum: ["HoldingRegister", "CoilRegister"] },
        offset: { type: "integer", minimum: 0 },
      },
    },
    protocolConfig: { type: "object", properties: { slaveID: { type: "integer" } } },
  },
  check: d =>
    d.name === "semantic-bad" ? [{ device: d.id, field: "name", reason: "is forbidden" }] : [],
});

function profile(): DeviceProfile {
  return {
    deviceInstances: [
      {
        id: "default/thermo",
        name: "thermo",
        namespace: "default",
        protocol: "modbus-default-thermo",
        model: "thermometer",
        propertyVisitors: [
          {
            name: "temperature",
            propertyName: "temperature",
            modelName: "thermometer",
            protocol: "modbus",
            collectCycle: 500_000_000,
            visitorConfig: { register: "HoldingRegister", offset: 1 },
          },
        ],
      },
      {
        id: "default/light",
        name: "light",
        protocol: "bluetooth-default-light",
        model: "thermometer",
      },
    ],
    deviceModels: [
      {
        name: "thermometer",
        properties: [{ name: "temperature", dataType: "int", minimum: 0, maximum: 100 }],
      },
    ],
    protocols: [
      { name: "modbus-default-thermo", protocol: "modbus", protocolConfig: { slaveID: 1 } },
      {
        name: "bluetooth-default-light",
        protocol: "bluetooth",
        protocolConfig: { macAddress: "AA" },
      },
    ],
    propertyVisitors: [],
  };
}

type Mutate = (p: DeviceProfile) => void;
const firstVisitor = (p: DeviceProfile): Record<string, unknown> =>
  p.deviceInstances[0].propertyVisitors![0] as unknown as Record<string, unknown>;

describe("createDeviceSelector", () => {
  it("selects only devices of its protocol with resolved properties", () => {
    const { devices, problems } = select(profile());
    expect(problems).toEqual([]);
    expect(devices.map(d => d.id)).toEqual(["default/thermo"]);
    const [prop] = devices[0].properties;
    expect(prop).toMatchObject({
      name: "temperature",
      property: { accessMode: "ReadWrite", maximum: 100 },
      config: { register: "HoldingRegister", offset: 1 },
      collectCycleMs: 500,
      reportCycleMs: 500,
    });
  });

  it("gives a device whose propertyVisitors is [] no properties, not other devices' visitors", () => {
    const p = profile();
    // The cloud copies every device's visitors to the top level; thermo2 has none of its own.
    p.propertyVisitors = p.deviceInstances[0].propertyVisitors!;
    p.deviceInstances.push({
      id: "default/thermo2",
      name: "thermo2",
      protocol: "modbus-default-thermo",
      model: "thermometer",
      propertyVisitors: [],
    });
    const { devices, problems } = select(p);
    expect(problems).toEqual([]);
    expect(devices.find(d => d.id === "default/thermo2")?.properties).toEqual([]);
    expect(devices.find(d => d.id === "default/thermo")?.properties).toHaveLength(1);
  });

  it("applies KubeEdge's one-second default to cycles the profile omits", () => {
    const p = profile();
    delete firstVisitor(p).collectCycle;
    const [prop] = select(p).devices[0].properties;
    expect(prop).toMatchObject({ collectCycleMs: 1000, reportCycleMs: 1000 });
  });

  it("falls back to top-level visitors by model name (KubeEdge's older layout)", () => {
    const p = profile();
    p.propertyVisitors = p.deviceInstances[0].propertyVisitors!;
    delete p.deviceInstances[0].propertyVisitors;
    expect(select(p).devices[0].properties.map(x => x.name)).toEqual(["temperature"]);
  });

  it.each<[string, Mutate, { device: string; field: string; reason: string }]>([
    [
      "a bad register",
      p => void (firstVisitor(p).visitorConfig = { register: "Nope", offset: 1 }),
      {
        device: "default/thermo",
        field: "propertyVisitors[0].visitorConfig.register",
        reason: "must be equal to one of the allowed values",
      },
    ],
    [
      "a negative offset",
      p => void (firstVisitor(p).visitorConfig = { register: "CoilRegister", offset: -1 }),
      {
        device: "default/thermo",
        field: "propertyVisitors[0].visitorConfig.offset",
        reason: "must be >= 0",
      },
    ],
    [
      "a missing offset",
      p => void (firstVisitor(p).visitorConfig = { register: "CoilRegister" }),
      {
        device: "default/thermo",
        field: "propertyVisitors[0].visitorConfig.offset",
        reason: "is required",
      },
    ],
    [
      "an unknown property",
      p => void (firstVisitor(p).propertyName = "humidity"),
      {
        device: "default/thermo",
        field: "propertyVisitors[0].propertyName",
        reason: "names no property of model thermometer",
      },
    ],
    [
      "a visitor of another protocol",
      p => void (firstVisitor(p).protocol = "bluetooth"),
      { device: "default/thermo", field: "propertyVisitors[0].protocol", reason: "is not modbus" },
    ],
    [
      "a fractional collect cycle",
      p => void (firstVisitor(p).collectCycle = 1.5),
      {
        device: "default/thermo",
        field: "propertyVisitors[0].collectCycle",
        reason: "must be integer",
      },
    ],
    [
      "a missing model",
      p => void (p.deviceModels = []),
      { device: "default/thermo", field: "model", reason: "model thermometer not found" },
    ],
    [
      "a bad model dataType",
      p => void ((p.deviceModels[0].properties[0] as { dataType: string }).dataType = "long"),
      {
        device: "default/thermo",
        field: "model.properties[0].dataType",
        reason: "must be equal to one of the allowed values",
      },
    ],
    [
      "a bad slaveID",
      p => void (p.protocols[0].protocolConfig = { slaveID: "one" }),
      {
        device: "default/thermo",
        field: "protocol.protocolConfig.slaveID",
        reason: "must be integer",
      },
    ],
    [
      "a missing protocol entry",
      p => void p.protocols.shift(),
      {
        device: "default/thermo",
        field: "protocol",
        reason: "protocol modbus-default-thermo not found",
      },
    ],
    [
      "a semantic check",
      p => void (p.deviceInstances[0].name = "semantic-bad"),
      { device: "default/thermo", field: "name", reason: "is forbidden" },
    ],
  ])("refuses a device with %s, naming device and field", (_name, mutate, problem) => {
    const p = profile();
    mutate(p);
    const { devices, problems } = select(p);
    expect(devices).toEqual([]);
    expect(problems).toContainEqual(problem);
  });

  it("keeps the other devices when one is refused", () => {
    const p = profile();
    const good = structuredClone(p.deviceInstances[0]);
    good.id = "default/thermo2";
    good.name = "thermo2";
    p.deviceInstances.push(good);
    firstVisitor(p).visitorConfig = { register: "HoldingRegister", offset: "one" };
    const { devices, problems } = select(p);
    expect(devices.map(d => d.id)).toEqual(["default/thermo2"]);
    expect(problems).toEqual([
      {
        device: "default/thermo",
        field: "propertyVisitors[0].visitorConfig.offset",
        reason: "must be integer",
      },
    ]);
  });

  it("ignores devices without protocol and does not validate other protocols' devices", () => {
    const p = profile();
    p.deviceInstances.push({ id: "default/none", name: "none", protocol: "", model: "x" });
    (p.deviceInstances[1] as { model?: string }).model = undefined; // the bluetooth device
    const { devices, problems } = select(p);
    expect(devices.map(d => d.id)).toEqual(["default/thermo"]);
    expect(problems).toEqual([]);
  });

  it("reports a missing protocol entry only to the mapper the entry name points at", () => {
    const p = profile();
    p.deviceInstances[1].protocol = "bluetooth-default-gone";
    p.deviceInstances.push({
      id: "default/x",
      name: "x",
      protocol: "modbus-default-gone",
      model: "thermometer",
    });
    expect(select(p).problems).toEqual([
      { device: "default/x", field: "protocol", reason: "protocol modbus-default-gone not found" },
    ]);
  });

  it("refuses an instance without id, naming its index", () => {
    const p = profile();
    (p.deviceInstances[0] as { id?: string }).id = undefined;
    expect(select(p).problems).toContainEqual({
      device: "deviceInstances[0]",
      field: "id",
      reason: "is required",
    });
  });

  it("changes the fingerprint only when the device's inputs change", () => {
    const a = select(profile()).devices[0].fingerprint;
    const p = profile();
    p.deviceInstances[0].twins = [{ propertyName: "temperature", desired: { value: "3" } }];
    expect(select(p).devices[0].fingerprint).toBe(a);
    firstVisitor(p).visitorConfig = { register: "HoldingRegister", offset: 2 };
    expect(select(p).devices[0].fingerprint).not.toBe(a);
  });
});

describe("protocolMatches", () => {
  it.each([
    ["modbus", "modbus", true],
    ["modbus", "modbus-tcp", true],
    ["modbus", "modbusx", false],
    ["modbus", undefined, false],
  ])("%s vs %s → %s", (kind, value, expected) => {
    expect(protocolMatches(kind, value)).toBe(expected);
  });
});
