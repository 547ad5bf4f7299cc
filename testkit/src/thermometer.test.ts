import { describe, expect, it } from "vitest";
import { thermometerDevice, thermometerModel } from "./thermometer.js";

interface Model {
  spec: { properties: { name: string; type: Record<string, { accessMode: string }> }[] };
}
interface Device {
  spec: {
    protocol: { common: Record<string, unknown> };
    propertyVisitors: { propertyName: string; reportCycle?: number; collectCycle?: number }[];
  };
  status?: { twins: { propertyName: string; desired: { metadata: { type: string } } }[] };
}

describe("thermometer fixture", () => {
  const all = ["enable", "temperature-limit", "power"] as const;

  it("declares temperature first, then the optional properties in the order asked", () => {
    const m = thermometerModel({ namespace: "ns", properties: ["power", "enable"] }) as Model;
    expect(m.spec.properties.map(p => p.name)).toEqual(["temperature", "power", "enable"]);
  });

  it("types each desired twin as its model declares the property", () => {
    const m = thermometerModel({ namespace: "ns", properties: [...all] }) as Model;
    const d = thermometerDevice({
      ...{ name: "t", namespace: "ns", node: "n", endpoint: { host: "h", port: 1 } },
      properties: [...all],
      desired: { enable: "ON", "temperature-limit": "30" },
    }) as Device;
    for (const twin of d.status!.twins) {
      const declared = m.spec.properties.find(p => p.name === twin.propertyName)!;
      expect(Object.keys(declared.type)).toEqual([twin.desired.metadata.type]);
      expect(Object.values(declared.type)[0]!.accessMode).toBe("ReadWrite");
    }
  });

  it("speaks Modbus RTU on a serial line, and sets cycles only when asked", () => {
    const d = thermometerDevice({
      ...{ name: "t", namespace: "ns", node: "n", endpoint: { serialPort: "/dev/pts/3" } },
      reportMs: 200,
    }) as Device;
    expect(d.spec.protocol.common).toEqual({
      com: { serialPort: "/dev/pts/3", baudRate: 9600, dataBits: 8, parity: "none", stopBits: 1 },
    });
    expect(d.spec.propertyVisitors).toMatchObject([{ reportCycle: 200_000_000 }]);
    expect(d.spec.propertyVisitors[0]!.collectCycle).toBeUndefined();
    expect(d.status).toBeUndefined();
  });
});
