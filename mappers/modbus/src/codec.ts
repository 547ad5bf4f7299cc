/**
 * Register codec: Modbus words/bits ↔ typed property values, following the visitor's limit,
 * scale, isSwap (bytes within each 16-bit register) and isRegisterSwap (order of registers).
 * Registers travel big-endian (Modbus); the swaps cover devices that store values
 * little-endian or low word first. Pure and table-tested.
 *
 * Layout per model dataType on word registers (Holding/Input), by `limit` (register count):
 * - int:    1 → int16, 2 → int32, 4 → int64 (signed)
 * - float, double: 1 → int16 (a scaled integer, the common case), 2 → float32, 4 → float64
 * - boolean: any non-zero register → true
 * - string: `limit*2` bytes of UTF-8, trailing NULs dropped; bytes: the raw bytes
 * On bit registers (Coil/DiscreteInput) bit i of the value is the i-th coil; boolean uses one.
 */
import type { ModbusRegister, ModbusVisitorConfig, PropertyDataType } from "@kubeedge-ts/contract";
import type { TypedValue } from "@kubeedge-ts/mapper-common";
import { applyScale } from "./scale.js";

export const BIT_REGISTERS: readonly ModbusRegister[] = ["CoilRegister", "DiscreteInputRegister"];
export const WRITABLE_REGISTERS: readonly ModbusRegister[] = ["CoilRegister", "HoldingRegister"];
/** Register counts a numeric value may span. */
export const NUMERIC_LIMITS: readonly number[] = [1, 2, 4];

export function isBitRegister(register: ModbusRegister): boolean {
  return BIT_REGISTERS.includes(register);
}

export function limitOf(config: ModbusVisitorConfig): number {
  return config.limit ?? 1;
}

function scaleOf(config: ModbusVisitorConfig): number {
  return config.scale === undefined || config.scale === 0 ? 1 : config.scale;
}

/** Applies isSwap/isRegisterSwap. Both are involutions, so encoding uses the same function. */
export function swapWords(bytes: Buffer, config: ModbusVisitorConfig): Buffer {
  const out = Buffer.from(bytes);
  if (config.isRegisterSwap) {
    const words = out.length / 2;
    for (let i = 0; i < words; i++) bytes.copy(out, (words - 1 - i) * 2, i * 2, i * 2 + 2);
  }
  if (config.isSwap) out.swap16();
  return out;
}

function readNumber(b: Buffer, words: number, dataType: PropertyDataType): number {
  if (words === 1) return b.readInt16BE(0);
  if (words === 2) return dataType === "int" ? b.readInt32BE(0) : b.readFloatBE(0);
  if (words === 4) return dataType === "int" ? Number(b.readBigInt64BE(0)) : b.readDoubleBE(0);
  throw new RangeError(`${dataType} cannot span ${words} registers (use 1, 2 or 4)`);
}

/** Decodes the bytes of `limit` registers (big-endian as received) into a typed value. */
export function decodeRegisters(
  raw: Buffer,
  config: ModbusVisitorConfig,
  dataType: PropertyDataType,
): TypedValue {
  const words = limitOf(config);
  if (raw.length !== words * 2)
    throw new RangeError(`expected ${words * 2} bytes, got ${raw.length}`);
  const b = swapWords(raw, config);
  switch (dataType) {
    case "int":
    case "float":
    case "double":
      return applyScale(readNumber(b, words, dataType), scaleOf(config));
    case "boolean":
      return b.some(x => x !== 0);
    case "string":
      return b.toString("utf8").replace(/\0+$/, "");
    case "bytes":
      return new Uint8Array(b);
    default:
      throw new RangeError(`unsupported dataType ${String(dataType)}`);
  }
}

function writeInteger(b: Buffer, words: number, n: number): void {
  const bits = words * 16;
  const min = -(2 ** (bits - 1));
  // Accept the unsigned range too: a device's uint16 0..65535 register is written the same way.
  const max = 2 ** bits - 1;
  if (!Number.isSafeInteger(n) && words < 4) throw new RangeError(`${n} is not an integer`);
  if (n < min || n > max) throw new RangeError(`${n} does not fit in ${words} register(s)`);
  if (words === 1) b.writeUInt16BE(n & 0xffff, 0);
  else if (words === 2) b.writeUInt32BE(n >>> 0, 0);
  else b.writeBigUInt64BE(BigInt.asUintN(64, BigInt(n)), 0);
}

function writeNumber(b: Buffer, words: number, raw: number, dataType: PropertyDataType): void {
  if (words === 1 || dataType === "int") return writeInteger(b, words, Math.round(raw));
  if (words === 2) b.writeFloatBE(raw, 0);
  else b.writeDoubleBE(raw, 0);
}

/** Encodes a typed value into the bytes of `limit` registers, ready to send big-endian. */
export function encodeRegisters(
  value: TypedValue,
  config: ModbusVisitorConfig,
  dataType: PropertyDataType,
): Buffer {
  const words = limitOf(config);
  const b = Buffer.alloc(words * 2);
  switch (dataType) {
    case "int":
    case "float":
    case "double":
      if (!NUMERIC_LIMITS.includes(words))
        throw new RangeError(`${dataType} cannot span ${words} registers`);
      writeNumber(b, words, Number(value) / scaleOf(config), dataType);
      break;
    case "boolean":
      b.writeUInt16BE(value === true || Number(value) === 1 ? 1 : 0, b.length - 2);
      break;
    case "string":
    case "bytes": {
      const src =
        typeof value === "string" ? Buffer.from(value, "utf8") : Buffer.from(value as Uint8Array);
      if (src.length > b.length)
        throw new RangeError(`${src.length} bytes do not fit in ${words} register(s)`);
      src.copy(b);
      break;
    }
    default:
      throw new RangeError(`unsupported dataType ${String(dataType)}`);
  }
  return swapWords(b, config);
}

/** Decodes `limit` bits (coils or discrete inputs). */
export function decodeBits(
  bits: readonly (number | boolean)[],
  config: ModbusVisitorConfig,
  dataType: PropertyDataType,
): TypedValue {
  const n = limitOf(config);
  if (bits.length < n) throw new RangeError(`expected ${n} bits, got ${bits.length}`);
  if (dataType === "boolean") return Boolean(bits[0]);
  if (dataType === "int" || dataType === "float" || dataType === "double") {
    let v = 0;
    for (let i = 0; i < n; i++) if (bits[i]) v += 2 ** i;
    return applyScale(v, scaleOf(config));
  }
  throw new RangeError(`${dataType} cannot be read from bit registers`);
}

/** Encodes a value into `limit` coil states. */
export function encodeBits(
  value: TypedValue,
  config: ModbusVisitorConfig,
  dataType: PropertyDataType,
): boolean[] {
  const n = limitOf(config);
  if (dataType === "boolean") return Array.from({ length: n }, (_, i) => i === 0 && value === true);
  if (dataType !== "int" && dataType !== "float" && dataType !== "double") {
    throw new RangeError(`${dataType} cannot be written to bit registers`);
  }
  const raw = Math.round(Number(value) / scaleOf(config));
  if (raw < 0 || raw >= 2 ** n) throw new RangeError(`${raw} does not fit in ${n} coil(s)`);
  return Array.from({ length: n }, (_, i) => Math.floor(raw / 2 ** i) % 2 === 1);
}
