import { LEVEL_SENSOR, PRESSURE_SENSOR, VALVE_ACTUATOR } from "./registers.js";
import { bindSample, readSample, WATER_DEVICES } from "./sample.js";

interface Visitor {
  propertyName: string;
  modbus: { register: string; offset: number; limit: number; scale?: number };
}
interface DeviceDoc {
  kind: string;
  metadata: { name: string };
  spec: {
    protocol: { modbus: { slaveID: number }; common: { tcp: { ip: string; port: number } } };
    nodeSelector: { nodeSelectorTerms: { matchExpressions: { values: string[] }[] }[] };
    propertyVisitors: Visitor[];
  };
}

const devices = (): DeviceDoc[] =>
  readSample().filter(m => m.kind === "Device") as unknown as DeviceDoc[];
const device = (name: string): DeviceDoc => devices().find(d => d.metadata.name === name)!;
const visitor = (name: string, property: string): Visitor =>
  device(name).spec.propertyVisitors.find(v => v.propertyName === property)!;

describe("samples/water-utility.yaml", () => {
  it.each([
    [WATER_DEVICES.level, "level", LEVEL_SENSOR.unit, "InputRegister", LEVEL_SENSOR.levelRegister],
    [
      WATER_DEVICES.pressure,
      "pressure",
      PRESSURE_SENSOR.unit,
      "InputRegister",
      PRESSURE_SENSOR.pressureRegister,
    ],
    [
      WATER_DEVICES.valve,
      "position",
      VALVE_ACTUATOR.unit,
      "HoldingRegister",
      VALVE_ACTUATOR.positionRegister,
    ],
    [WATER_DEVICES.valve, "fault", VALVE_ACTUATOR.unit, "CoilRegister", VALVE_ACTUATOR.faultCoil],
  ])(
    "visits %s %s where the simulated plant serves it",
    (name, property, unit, register, offset) => {
      expect(device(name).spec.protocol.modbus.slaveID).toBe(unit);
      expect(visitor(name, property).modbus).toMatchObject({ register, offset });
    },
  );

  it("scales the sensors' integer registers to metres and bar", () => {
    expect(visitor(WATER_DEVICES.level, "level").modbus).toMatchObject({ limit: 1, scale: 0.01 });
    expect(visitor(WATER_DEVICES.pressure, "pressure").modbus).toMatchObject({
      limit: 1,
      scale: 0.001,
    });
  });

  it("binds every device to edge-1", () => {
    for (const d of devices()) {
      expect(d.spec.nodeSelector.nodeSelectorTerms[0]!.matchExpressions[0]!.values).toEqual([
        "edge-1",
      ]);
    }
  });

  it("is pointed at another gateway and node by bindSample, and nothing else changes", () => {
    const original = readSample();
    const bound = bindSample(original, {
      node: "edge-9",
      gateway: { host: "10.1.2.3", port: 1502 },
    });
    const boundDevices = bound.filter(m => m.kind === "Device") as unknown as DeviceDoc[];
    expect(boundDevices).toHaveLength(3);
    for (const d of boundDevices) {
      expect(d.spec.protocol.common.tcp).toEqual({ ip: "10.1.2.3", port: 1502 });
      expect(d.spec.nodeSelector.nodeSelectorTerms[0]!.matchExpressions[0]!.values).toEqual([
        "edge-9",
      ]);
      expect(d.spec.propertyVisitors).toEqual(device(d.metadata.name).spec.propertyVisitors);
    }
    expect(bound.filter(m => m.kind !== "Device")).toEqual(
      original.filter(m => m.kind !== "Device"),
    );
    expect(readSample()).toEqual(original);
  });
});
