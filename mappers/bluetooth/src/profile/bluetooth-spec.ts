/**
 * What a Bluetooth device must look like in `deviceProfile.json`: protocol `bluetooth` with
 * `protocolConfig.macAddress`, and visitors `{characteristicUUID, dataWrite, dataConverter}`.
 * The shared selector refuses a device with any problem and names the field.
 */
import type { BluetoothVisitorConfig } from "@kubeedge-ts/contract";
import type { DeviceProblem, ProtocolSpec, ResolvedDevice } from "@kubeedge-ts/mapper-common";
import { isValidMac, isValidUuid } from "../ble/uuid.js";
import { validateConverter, hasConversion } from "../convert/data-converter.js";
import { validateDataWrite } from "../convert/value-codec.js";

export const BLUETOOTH_PROTOCOL = "bluetooth";

const visitorConfig = {
  type: "object",
  required: ["characteristicUUID"],
  properties: {
    characteristicUUID: { type: "string", minLength: 1 },
    dataWrite: { type: ["object", "null"], additionalProperties: { type: "string" } },
    dataConverter: {
      type: ["object", "null"],
      properties: {
        startIndex: { type: "integer", minimum: 0 },
        endIndex: { type: "integer", minimum: 0 },
        shiftLeft: { type: "integer", minimum: 0 },
        shiftRight: { type: "integer", minimum: 0 },
        orderOfOperations: {
          type: ["array", "null"],
          items: {
            type: "object",
            required: ["operationType", "operationValue"],
            properties: {
              operationType: { enum: ["Add", "Subtract", "Multiply", "Divide"] },
              operationValue: { type: "number" },
            },
          },
        },
      },
    },
  },
};

const protocolConfig = {
  type: "object",
  required: ["macAddress"],
  properties: { macAddress: { type: "string", minLength: 1 } },
};

export type BluetoothDevice = ResolvedDevice<BluetoothVisitorConfig>;

export function macOf(device: BluetoothDevice): string {
  return String((device.protocol.protocolConfig ?? {}).macAddress ?? "");
}

function check(device: BluetoothDevice): DeviceProblem[] {
  const problems: DeviceProblem[] = [];
  const problem = (field: string, reason: string): number =>
    problems.push({ device: device.id, field, reason });
  if (!isValidMac(macOf(device))) {
    problem("protocol.protocolConfig.macAddress", `"${macOf(device)}" is not a MAC address`);
  }
  device.properties.forEach((p, i) => {
    const at = `propertyVisitors[${i}].visitorConfig`;
    if (!isValidUuid(p.config.characteristicUUID)) {
      problem(`${at}.characteristicUUID`, `"${p.config.characteristicUUID}" is not a UUID`);
    }
    const dw = validateDataWrite(p.config.dataWrite ?? undefined);
    if (dw) problem(`${at}.dataWrite`, dw);
    if (hasConversion(p.config.dataConverter ?? undefined)) {
      const bad = validateConverter(p.config.dataConverter!);
      if (bad) problem(`${at}.dataConverter`, bad);
    }
  });
  return problems;
}

export const bluetoothSpec: ProtocolSpec<BluetoothVisitorConfig> = {
  protocol: BLUETOOTH_PROTOCOL,
  schemas: { visitorConfig, protocolConfig },
  check,
  // KubeEdge's schedule interval when none is given.
  defaultCycleMs: 5000,
};
