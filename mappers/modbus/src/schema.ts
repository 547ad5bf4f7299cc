/**
 * What a Modbus device entry must look like: JSON schemas for the visitor and protocol config
 * (checked with ajv by the mapper library) and the rules a schema cannot express.
 */
import type { ModbusVisitorConfig } from "@kubeedge-ts/contract";
import type { DeviceProblem, ProtocolSchemas, ResolvedDevice } from "@kubeedge-ts/mapper-common";
import { NUMERIC_LIMITS, isBitRegister, limitOf } from "./codec.js";
import { targetOf } from "./target.js";

export const modbusSchemas: ProtocolSchemas<ModbusVisitorConfig> = {
  visitorConfig: {
    type: "object",
    required: ["register", "offset"],
    properties: {
      register: {
        enum: ["CoilRegister", "DiscreteInputRegister", "InputRegister", "HoldingRegister"],
      },
      offset: { type: "integer", minimum: 0, maximum: 65535 },
      limit: { type: "integer", minimum: 1, maximum: 2000 },
      scale: { type: "number" },
      isSwap: { type: "boolean" },
      isRegisterSwap: { type: "boolean" },
    },
  },
  protocolConfig: {
    type: "object",
    properties: { slaveID: { type: "integer", minimum: 0, maximum: 255 } },
  },
  protocolCommonConfig: {
    type: "object",
    properties: {
      tcp: {
        type: "object",
        required: ["ip", "port"],
        properties: {
          ip: { type: "string", minLength: 1 },
          port: { type: "integer", minimum: 1, maximum: 65535 },
        },
      },
      com: {
        type: "object",
        required: ["serialPort"],
        properties: {
          serialPort: { type: "string", minLength: 1 },
          baudRate: { type: "integer", minimum: 1 },
          dataBits: { enum: [5, 6, 7, 8] },
          parity: {
            enum: ["none", "even", "odd", "mark", "space", "None", "Even", "Odd", "N", "E", "O"],
          },
          stopBits: { enum: [1, 1.5, 2] },
        },
      },
    },
  },
};

const MAX_REGISTERS = 125;
const MAX_BITS = 2000;

type Prop = ResolvedDevice<ModbusVisitorConfig>["properties"][number];

/** Returns [field, reason] of the first rule the visitor breaks, if any. */
function bitRule(prop: Prop, limit: number): [string, string] | undefined {
  const type = prop.property.dataType;
  const register = prop.config.register;
  if (type === "string" || type === "bytes")
    return ["register", `${register} cannot hold a ${type}`];
  if (limit > MAX_BITS) return ["limit", `must be <= ${MAX_BITS} for ${register}`];
  if (type === "boolean" && limit !== 1) return ["limit", "must be 1 for a boolean coil"];
  return undefined;
}

function wordRule(prop: Prop, limit: number): [string, string] | undefined {
  const type = prop.property.dataType;
  if (limit > MAX_REGISTERS) return ["limit", `must be <= ${MAX_REGISTERS} registers`];
  const numeric = type === "int" || type === "float" || type === "double";
  if (numeric && !NUMERIC_LIMITS.includes(limit)) return ["limit", `must be 1, 2 or 4 for ${type}`];
  return undefined;
}

function visitorProblems(device: ResolvedDevice<ModbusVisitorConfig>, i: number): DeviceProblem[] {
  const prop = device.properties[i];
  const limit = limitOf(prop.config);
  let broken = isBitRegister(prop.config.register) ? bitRule(prop, limit) : wordRule(prop, limit);
  if (!broken && prop.config.offset + limit > 65536)
    broken = ["limit", "offset + limit exceeds the 65536 addresses"];
  if (!broken) return [];
  // A device is only checked when all its visitors resolved, so indices match the profile's.
  return [
    {
      device: device.id,
      field: `propertyVisitors[${i}].visitorConfig.${broken[0]}`,
      reason: broken[1],
    },
  ];
}

/** Semantic checks of one device; the mapper library refuses the device if any fail. */
export function checkModbusDevice(device: ResolvedDevice<ModbusVisitorConfig>): DeviceProblem[] {
  const target = targetOf(device.protocol);
  const problems: DeviceProblem[] = target.ok
    ? []
    : [{ device: device.id, field: "protocol.protocolCommonConfig", reason: target.reason }];
  device.properties.forEach((_p, i) => problems.push(...visitorProblems(device, i)));
  return problems;
}
