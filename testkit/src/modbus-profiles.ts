/** Builds deviceProfile.json documents for Modbus tests, in the shape the cloud writes. */
import type { DeviceProfile, ModbusVisitorConfig, PropertyDataType } from "@kubeedge-ts/contract";

export interface TestProperty {
  name: string;
  dataType: PropertyDataType;
  accessMode?: "ReadWrite" | "ReadOnly";
  minimum?: number;
  maximum?: number;
  visitor: ModbusVisitorConfig | Record<string, unknown>;
  collectMs?: number;
  reportMs?: number;
}

export interface TestDevice {
  id: string;
  slaveId?: number;
  tcpPort?: number;
  serialPort?: string;
  properties: TestProperty[];
}

const MS = 1_000_000;

export function modbusProfile(devices: TestDevice[]): DeviceProfile {
  return {
    deviceInstances: devices.map(d => ({
      id: d.id,
      name: d.id.split("/").pop()!,
      namespace: d.id.includes("/") ? d.id.split("/")[0] : undefined,
      protocol: `modbus-${d.id.replace("/", "-")}`,
      model: `model-${d.id.replace("/", "-")}`,
      twins: [],
      propertyVisitors: d.properties.map(p => ({
        name: p.name,
        propertyName: p.name,
        modelName: `model-${d.id.replace("/", "-")}`,
        protocol: "modbus",
        collectCycle: (p.collectMs ?? 200) * MS,
        reportCycle: (p.reportMs ?? p.collectMs ?? 200) * MS,
        visitorConfig: p.visitor,
      })),
    })),
    deviceModels: devices.map(d => ({
      name: `model-${d.id.replace("/", "-")}`,
      properties: d.properties.map(p => ({
        name: p.name,
        dataType: p.dataType,
        accessMode: p.accessMode ?? "ReadWrite",
        minimum: p.minimum,
        maximum: p.maximum,
      })),
    })),
    protocols: devices.map(d => ({
      name: `modbus-${d.id.replace("/", "-")}`,
      protocol: "modbus",
      protocolConfig: { slaveID: d.slaveId ?? 1 },
      protocolCommonConfig: d.serialPort
        ? {
            com: {
              serialPort: d.serialPort,
              baudRate: 9600,
              dataBits: 8,
              parity: "none",
              stopBits: 1,
            },
          }
        : { tcp: { ip: "127.0.0.1", port: d.tcpPort ?? 502 } },
    })),
    propertyVisitors: [],
  };
}
