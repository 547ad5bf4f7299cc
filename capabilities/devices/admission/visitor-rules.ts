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
import { problem, type Problem } from "./problems.js";

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

export function protocolProblems(device: Device): Problem[] {
  const p = device.spec?.protocol;
  const members = protocolMembers(p);
  if (members.length !== 1) {
    const why = `must set exactly one of ${PROTOCOL_KINDS.join(", ")}`;
    return [
      problem("spec.protocol", members.length ? `${why}, sets ${members.join(" and ")}` : why),
    ];
  }
  const out: Problem[] = [];
  const slave = p?.modbus?.slaveID;
  if (members[0] === "modbus" && (typeof slave !== "number" || slave < 0 || slave > 255)) {
    out.push(problem("spec.protocol.modbus.slaveID", "must be a unit id from 0 to 255", slave));
  }
  const mac = p?.bluetooth?.macAddress;
  if (mac !== undefined && !MAC.test(mac)) {
    out.push(
      problem(
        "spec.protocol.bluetooth.macAddress",
        "is not a MAC address like BC:6A:29:AE:CC:96",
        mac,
      ),
    );
  }
  const port = p?.common?.tcp?.port;
  if (port !== undefined && (port < 1 || port > 65535)) {
    out.push(problem("spec.protocol.common.tcp.port", "is not a TCP port (1-65535)", port));
  }
  return out;
}

/** The Modbus spec's per-request limits: 2000 coils/discrete inputs, 125 registers. */
const MODBUS_MAX_BITS = 2000;
const MODBUS_MAX_WORDS = 125;
const MODBUS_ADDRESSES = 65536;

export function modbusVisitorProblems(path: string, m: ModbusVisitor): Problem[] {
  const out: Problem[] = [];
  if (!m.register) out.push(problem(`${path}.register`, "is required"));
  if (typeof m.offset !== "number" || m.offset < 0 || m.offset >= MODBUS_ADDRESSES) {
    out.push(
      problem(`${path}.offset`, `must be an address from 0 to ${MODBUS_ADDRESSES - 1}`, m.offset),
    );
  }
  const bits = m.register === "CoilRegister" || m.register === "DiscreteInputRegister";
  const max = bits ? MODBUS_MAX_BITS : MODBUS_MAX_WORDS;
  if (typeof m.limit !== "number" || m.limit < 1 || m.limit > max) {
    out.push(
      problem(
        `${path}.limit`,
        `must be from 1 to ${max} for ${m.register ?? "a register"}`,
        m.limit,
      ),
    );
  } else if (
    typeof m.offset === "number" &&
    m.offset >= 0 &&
    m.offset < MODBUS_ADDRESSES &&
    m.offset + m.limit > MODBUS_ADDRESSES
  ) {
    out.push(
      problem(
        `${path}.limit`,
        `runs past the last address ${MODBUS_ADDRESSES - 1} from offset ${m.offset}`,
        m.limit,
      ),
    );
  }
  if (m.scale !== undefined && (m.scale === 0 || !Number.isFinite(m.scale))) {
    out.push(problem(`${path}.scale`, "must be a non-zero number", m.scale));
  }
  return out;
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

function visitorProtocolProblems(
  device: Device,
  v: DevicePropertyVisitor,
  path: string,
): Problem[] {
  const deviceKind = protocolMembers(device.spec?.protocol)[0];
  const members = protocolMembers(v);
  if (members.length !== 1) {
    return [
      problem(path, `must set exactly one protocol (${deviceKind ?? PROTOCOL_KINDS.join(", ")})`),
    ];
  }
  const kind = members[0];
  if (deviceKind && kind !== deviceKind) {
    return [problem(`${path}.${kind}`, `does not match the device protocol ${deviceKind}`)];
  }
  if (kind === "modbus") return modbusVisitorProblems(`${path}.modbus`, v.modbus!);
  if (kind === "bluetooth") return bluetoothVisitorProblems(`${path}.bluetooth`, v.bluetooth!);
  const name = v.customizedProtocol?.protocolName;
  const want = device.spec?.protocol?.customizedProtocol?.protocolName;
  if (kind === "customizedProtocol" && name !== want) {
    return [
      problem(
        `${path}.customizedProtocol.protocolName`,
        `does not match the device protocol ${JSON.stringify(want)}`,
        name,
      ),
    ];
  }
  return [];
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
