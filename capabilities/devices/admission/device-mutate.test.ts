import { describe, expect, it } from "vitest";
import type { Device, DeviceModel } from "../../../crds/index.js";
import { mutateDevice } from "./device-mutate.js";

const MODEL = {
  metadata: { name: "valve", namespace: "w" },
  spec: {
    properties: [
      { name: "position", type: { int: { accessMode: "ReadWrite", minimum: 0, maximum: 100 } } },
      { name: "fault", type: { boolean: { accessMode: "ReadOnly" } } },
    ],
  },
} as DeviceModel;

const userDevice = (): Device =>
  ({
    metadata: { name: "v1", namespace: "w", labels: { team: "ops" } },
    spec: {
      deviceModelRef: { name: "valve" },
      protocol: { modbus: { slaveID: 3 } },
      nodeSelector: {
        nodeSelectorTerms: [
          { matchFields: [{ key: "metadata.name", operator: "In", values: ["pump"] }] },
        ],
      },
      propertyVisitors: [
        { propertyName: "position", modbus: { register: "HoldingRegister", offset: 0, limit: 1 } },
        {
          propertyName: "fault",
          collectCycle: 5,
          modbus: { register: "CoilRegister", offset: 1, limit: 1, scale: 2 },
        },
      ],
    },
    status: { twins: [{ propertyName: "position", desired: { value: "40" } }] },
  }) as Device;

const stored = (): Device => {
  const d = userDevice();
  d.status = {
    twins: [
      {
        propertyName: "position",
        desired: { value: "10", metadata: { type: "int" } },
        reported: { value: "12", metadata: { type: "int", timestamp: "1700000000000" } },
      },
      { propertyName: "fault", reported: { value: "false", metadata: { type: "boolean" } } },
    ],
    state: "online" as never,
    lastOnlineTime: "2026-11-23T20:00:00Z",
  };
  return d;
};

describe("mutateDevice", () => {
  it("labels the device with its node, model and protocol and keeps user labels", () => {
    expect(mutateDevice(userDevice(), MODEL).metadata?.labels).toEqual({
      team: "ops",
      "devices.kubeedge.io/node": "pump",
      "devices.kubeedge.io/model": "valve",
      "devices.kubeedge.io/protocol": "modbus",
    });
  });

  it("defaults scale to 1 and leaves unset cycles unset, as KubeEdge's profile omits them", () => {
    const [a, b] = mutateDevice(userDevice(), MODEL).spec!.propertyVisitors!;
    expect([a.modbus?.scale, a.collectCycle, a.reportCycle]).toEqual([1, undefined, undefined]);
    expect("collectCycle" in a || "reportCycle" in a).toBe(false);
    expect([b.modbus?.scale, b.collectCycle, b.reportCycle]).toEqual([2, 5, undefined]);
  });

  it("sets the twin metadata type from the model unless given", () => {
    const d = userDevice();
    d.status!.twins!.push({
      propertyName: "fault",
      reported: { value: "true", metadata: { type: "custom" } },
    });
    const twins = mutateDevice(d, MODEL).status!.twins!;
    expect(twins[0].desired?.metadata).toEqual({ type: "int" });
    expect(twins[1].reported?.metadata).toEqual({ type: "custom" });
  });

  it("keeps the stored reported values, state and last-online time on a user's apply", () => {
    const out = mutateDevice(userDevice(), MODEL, stored());
    expect(out.status).toEqual({
      twins: [
        {
          propertyName: "position",
          desired: { value: "40", metadata: { type: "int" } },
          reported: { value: "12", metadata: { type: "int", timestamp: "1700000000000" } },
        },
        { propertyName: "fault", reported: { value: "false", metadata: { type: "boolean" } } },
      ],
      state: "online",
      lastOnlineTime: "2026-11-23T20:00:00Z",
    });
  });

  it("lets the stored reported value win over one in the user's file", () => {
    const d = userDevice();
    d.status!.twins![0].reported = { value: "0" };
    expect(mutateDevice(d, MODEL, stored()).status!.twins![0].reported?.value).toBe("12");
  });

  it("takes a state the write sets explicitly (the cloud marking a device unknown)", () => {
    const d = stored();
    d.status!.state = "unknown" as never;
    expect(mutateDevice(d, MODEL, stored()).status?.state).toBe("unknown");
  });

  it("does not change its input", () => {
    const d = userDevice();
    const before = JSON.stringify(d);
    mutateDevice(d, MODEL, stored());
    expect(JSON.stringify(d)).toBe(before);
  });
});
