/**
 * Rules for a Device's protocol and property visitors: one protocol, visitors that name model
 * properties and speak the device's protocol, Modbus addresses that exist, Bluetooth UUIDs that
 * parse.
 */
import type {
  BluetoothVisitor,
  Device,
  DevicePropertyVisitor,
  ModbusVisitor,
} from "../../../crds/index.js";
import { problem, type Problem } from "../../shared/problems.js";

export const PROTOCOL_KINDS = ["modbus", "bluetooth", "opcua", "customizedProtocol"] as const;
export type ProtocolKind = (typeof PROTOCOL_KINDS)[number];

/** The protocol members set on an object (`spec.protocol` or a visitor). */
export function protocolMembers(obj: object | undefined): ProtocolKind[] {
  const rec = (obj ?? {}) as Record<string, unknown>;
  return PROTOCOL_KINDS.filter(k => rec[k] !== undefined && rec[k] !== null);
}

/** The device's protocol name as the profile and the printer column show it. */
export function protocolName(device: Device): string | undefined {
  const members = protocolMembers(device.spec?.protocol);
  if (members.length !== 1) return undefined;
  if (members[0] !== "customizedProtocol") return members[0];
  return device.spec?.protocol?.customizedProtocol?.protocolName || "customizedProtocol";
}

const MAC = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/;

function inRange(v: unknown, min: number, max: number): boolean {
  return typeof v === "number" && v >= min && v <= max;
}

/** The problems whose condition holds. */
function failing(checks: [boolean, () => Problem][]): Problem[] {
  return checks.filter(([bad]) => bad).map(([, make]) => make());
}

export function protocolProblems(device: Device): Problem[] {
  const p = device.spec?.protocol;
  const members = protocolMembers(p);
  if (members.length !== 1) {
    const why = `must set exactly one of ${PROTOCOL_KINDS.join(", ")}`;
    return [
      problem("spec.protocol", members.length ? `${why}, sets ${members.join(" and ")}` : why),
    ];
  }
  const { modbus, bluetooth, common } = p ?? {};
  const [slave, mac, port] = [modbus?.slaveID, bluetooth?.macAddress, common?.tcp?.port];
  return failing([
    [
      members[0] === "modbus" && !inRange(slave, 0, 255),
      () => problem("spec.protocol.modbus.slaveID", "must be a unit id from 0 to 255", slave),
    ],
    [
      mac !== undefined && !MAC.test(mac),
      () =>
        problem(
          "spec.protocol.bluetooth.macAddress",
          "is not a MAC address like BC:6A:29:AE:CC:96",
          mac,
        ),
    ],
    [
      port !== undefined && !inRange(port, 1, 65535),
      () => problem("spec.protocol.common.tcp.port", "is not a TCP port (1-65535)", port),
    ],
  ]);
}

/** The Modbus spec's per-request limits: 2000 coils/discrete inputs, 125 registers. */
const MODBUS_MAX_BITS = 2000;
const MODBUS_MAX_WORDS = 125;
const MODBUS_ADDRESSES = 65536;

function modbusLimitProblem(path: string, m: ModbusVisitor): Problem | undefined {
  const bits = m.register === "CoilRegister" || m.register === "DiscreteInputRegister";
  const max = bits ? MODBUS_MAX_BITS : MODBUS_MAX_WORDS;
  if (!inRange(m.limit, 1, max)) {
    return problem(
      `${path}.limit`,
      `must be from 1 to ${max} for ${m.register ?? "a register"}`,
      m.limit,
    );
  }
  const offset = m.offset as number;
  if (inRange(offset, 0, MODBUS_ADDRESSES - 1) && offset + (m.limit as number) > MODBUS_ADDRESSES) {
    const why = `runs past the last address ${MODBUS_ADDRESSES - 1} from offset ${offset}`;
    return problem(`${path}.limit`, why, m.limit);
  }
  return undefined;
}

export function modbusVisitorProblems(path: string, m: ModbusVisitor): Problem[] {
  const limit = modbusLimitProblem(path, m);
  return failing([
    [!m.register, () => problem(`${path}.register`, "is required")],
    [
      !inRange(m.offset, 0, MODBUS_ADDRESSES - 1),
      () =>
        problem(`${path}.offset`, `must be an address from 0 to ${MODBUS_ADDRESSES - 1}`, m.offset),
    ],
    [limit !== undefined, () => limit!],
    [
      m.scale !== undefined && (m.scale === 0 || !Number.isFinite(m.scale)),
      () => problem(`${path}.scale`, "must be a non-zero number", m.scale),
    ],
  ]);
}

/** 16-bit or 32-bit short UUIDs, 128-bit with or without dashes (KubeEdge samples use none). */
const UUID =
  /^([0-9a-fA-F]{4}|[0-9a-fA-F]{8}|[0-9a-fA-F]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;
const OPERATIONS = new Set(["Add", "Subtract", "Multiply", "Divide"]);

export function bluetoothVisitorProblems(path: string, b: BluetoothVisitor): Problem[] {
  const out: Problem[] = [];
  if (!UUID.test(b.characteristicUUID ?? "")) {
    out.push(
      problem(
        `${path}.characteristicUUID`,
        "is not a Bluetooth UUID (4, 8 or 32 hex digits, or dashed 128-bit)",
        b.characteristicUUID,
      ),
    );
  }
  (b.dataConverter?.orderOfOperations ?? []).forEach((op, i) => {
    const opPath = `${path}.dataConverter.orderOfOperations[${i}]`;
    if (!OPERATIONS.has(op.operationType ?? "")) {
      out.push(
        problem(
          `${opPath}.operationType`,
          "must be Add, Subtract, Multiply or Divide",
          op.operationType,
        ),
      );
    }
    if (op.operationType === "Divide" && op.operationValue === 0) {
      out.push(problem(`${opPath}.operationValue`, "divides by zero", op.operationValue));
    }
  });
  return out;
}

function customizedProblems(device: Device, v: DevicePropertyVisitor, path: string): Problem[] {
  const name = v.customizedProtocol?.protocolName;
  const want = device.spec?.protocol?.customizedProtocol?.protocolName;
  if (name === want) return [];
  const why = `does not match the device protocol ${JSON.stringify(want)}`;
  return [problem(`${path}.customizedProtocol.protocolName`, why, name)];
}

function visitorProtocolProblems(
  device: Device,
  v: DevicePropertyVisitor,
  path: string,
): Problem[] {
  const deviceKind = protocolMembers(device.spec?.protocol)[0];
  const members = protocolMembers(v);
  if (members.length !== 1) {
    const kinds = deviceKind ?? PROTOCOL_KINDS.join(", ");
    return [problem(path, `must set exactly one protocol (${kinds})`)];
  }
  const kind = members[0];
  if (deviceKind && kind !== deviceKind) {
    return [problem(`${path}.${kind}`, `does not match the device protocol ${deviceKind}`)];
  }
  if (kind === "modbus") return modbusVisitorProblems(`${path}.modbus`, v.modbus!);
  if (kind === "bluetooth") return bluetoothVisitorProblems(`${path}.bluetooth`, v.bluetooth!);
  return kind === "customizedProtocol" ? customizedProblems(device, v, path) : [];
}

/** Visitor problems; `properties` are the model's property names. */
export function visitorProblems(
  device: Device,
  properties: Set<string>,
  modelName: string,
): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  (device.spec?.propertyVisitors ?? []).forEach((v, i) => {
    const path = `spec.propertyVisitors[${i}]`;
    const name = v.propertyName;
    if (!name) out.push(problem(`${path}.propertyName`, "is required"));
    else if (!properties.has(name)) {
      out.push(
        problem(`${path}.propertyName`, `is not a property of DeviceModel ${modelName}`, name),
      );
    } else if (seen.has(name)) {
      out.push(problem(`${path}.propertyName`, "has more than one visitor", name));
    }
    if (name) seen.add(name);
    out.push(...visitorProtocolProblems(device, v, path));
  });
  return out;
}
