import type { DeviceProfile } from "@kubeedge-ts/contract";
import { createDeviceSelector } from "@kubeedge-ts/mapper-common";
import { sensorTagProfile } from "../../test/fixtures.js";
import { defaultConfig } from "../config/default-config.js";
import { bluetoothSpec, macOf } from "./bluetooth-spec.js";

const select = createDeviceSelector(bluetoothSpec);

function mutate(edit: (p: DeviceProfile) => void): DeviceProfile {
  const p = sensorTagProfile();
  edit(p);
  return p;
}

describe("bluetooth device selection", () => {
  it("serves the SensorTag with its MAC and both visitors", () => {
    const { devices, problems } = select(sensorTagProfile());
    expect(problems).toEqual([]);
    expect(devices.map(d => [d.id, macOf(d), d.properties.map(p => p.name)])).toEqual([
      ["default/sensortag", "A0:E6:F8:B6:37:83", ["temperature", "temperature-enable"]],
    ]);
  });

  const visitor = (p: DeviceProfile, i: number): Record<string, unknown> =>
    p.deviceInstances[0].propertyVisitors![i].visitorConfig as Record<string, unknown>;
  const refused: {
    name: string;
    edit: (p: DeviceProfile) => void;
    field: string;
    reason: RegExp;
  }[] = [
    {
      name: "a missing MAC address",
      edit: p => (p.protocols[0].protocolConfig = {}),
      field: "protocol.protocolConfig.macAddress",
      reason: /required/,
    },
    {
      name: "a malformed MAC address",
      edit: p => (p.protocols[0].protocolConfig = { macAddress: "A0:E6" }),
      field: "protocol.protocolConfig.macAddress",
      reason: /is not a MAC address/,
    },
    {
      name: "a characteristic that is not a UUID",
      edit: p => (visitor(p, 0).characteristicUUID = "temperature"),
      field: "propertyVisitors[0].visitorConfig.characteristicUUID",
      reason: /is not a UUID/,
    },
    {
      name: "dataWrite bytes that are not base64",
      edit: p => (visitor(p, 1).dataWrite = { ON: "not base64!" }),
      field: "propertyVisitors[1].visitorConfig.dataWrite",
      reason: /must be base64/,
    },
    {
      name: "an unknown converter operation",
      edit: p => {
        const conv = visitor(p, 0).dataConverter as {
          orderOfOperations: { operationType: string }[];
        };
        conv.orderOfOperations[0].operationType = "Modulo";
      },
      field: "propertyVisitors[0].visitorConfig.dataConverter.orderOfOperations[0].operationType",
      reason: /allowed values/,
    },
    {
      name: "a division by zero",
      edit: p => {
        const conv = visitor(p, 0).dataConverter as { orderOfOperations: object[] };
        conv.orderOfOperations.push({ operationType: "Divide", operationValue: 0 });
      },
      field: "propertyVisitors[0].visitorConfig.dataConverter",
      reason: /divides by zero/,
    },
  ];
  it.each(refused)("refuses a device with $name, naming the field", ({ edit, field, reason }) => {
    const { devices, problems } = select(mutate(edit));
    expect(devices).toEqual([]);
    const problem = problems.find(p => p.field === field);
    expect(problem?.reason).toMatch(reason);
    expect(problem?.device).toBe("default/sensortag");
  });

  it("leaves devices of other protocols alone", () => {
    const { devices, problems } = select(mutate(p => (p.protocols[0].protocol = "modbus")));
    expect(devices).toEqual([]);
    expect(problems).toEqual([]);
  });
});

describe("defaultConfig", () => {
  it("reads ReadOnly properties every collect cycle and watches ReadWrite ones", () => {
    const profile = sensorTagProfile();
    profile.deviceInstances[0].propertyVisitors![0].collectCycle = 2_000_000_000;
    const [device] = select(profile).devices;
    expect(defaultConfig(device)).toEqual({
      actions: [
        { name: "temperature", performImmediately: false, propertyName: "temperature" },
        {
          name: "temperature-enable",
          performImmediately: false,
          propertyName: "temperature-enable",
        },
      ],
      schedules: [
        { name: "temperature", interval: 2000, occurrenceLimit: 0, actions: ["temperature"] },
      ],
      watcher: {
        attributes: [{ propertyName: "temperature-enable", actions: ["temperature-enable"] }],
      },
    });
  });
});
