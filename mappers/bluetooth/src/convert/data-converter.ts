/**
 * The Bluetooth mapper's read-side data converter (seeds' manual 31.3.5, the `dataConverter` of
 * a Bluetooth property visitor): take bytes `startIndex..endIndex` of a characteristic value as
 * one unsigned integer, shift it, then apply the arithmetic operations in the order given.
 *
 * KubeEdge's Go mapper glued the bytes together as *decimal* text and parsed that as hex, and it
 * dropped the value to 0 when no shift was configured. We keep the documented meaning instead:
 * the bytes form a big-endian integer in the order they are visited, so `startIndex > endIndex`
 * reads a little-endian field (the SensorTag's `startIndex: 1, endIndex: 0`).
 */
import type { ArithmeticOperation, BluetoothDataConverter } from "@kubeedge-ts/contract";

export type ConvertResult = { ok: true; value: number } | { ok: false; reason: string };

const OPERATIONS: Record<string, (acc: number, operand: number) => number> = {
  add: (acc, v) => acc + v,
  subtract: (acc, v) => acc - v,
  multiply: (acc, v) => acc * v,
  divide: (acc, v) => acc / v,
};

function checkLayout(converter: BluetoothDataConverter): string | undefined {
  const { startIndex = 0, endIndex, shiftLeft = 0, shiftRight = 0 } = converter;
  const fields = { startIndex, endIndex: endIndex ?? startIndex, shiftLeft, shiftRight };
  for (const [name, v] of Object.entries(fields)) {
    if (!Number.isInteger(v) || v < 0) return `${name} must be a non-negative integer, got ${v}`;
  }
  if (shiftLeft > 0 && shiftRight > 0) return "shiftLeft and shiftRight are mutually exclusive";
  if (endIndex !== undefined && Math.abs(startIndex - endIndex) + 1 > 8) {
    return "a converted field spans at most 8 bytes";
  }
  return undefined;
}

function checkOperation(
  op: { operationType: string; operationValue: number },
  i: number,
): string | undefined {
  const at = `orderOfOperations[${i}]`;
  if (!(String(op.operationType).toLowerCase() in OPERATIONS)) {
    return `${at}.operationType must be Add, Subtract, Multiply or Divide, got ${String(op.operationType)}`;
  }
  if (typeof op.operationValue !== "number" || !Number.isFinite(op.operationValue)) {
    return `${at}.operationValue must be a finite number`;
  }
  if (isDivide(op.operationType) && op.operationValue === 0) return `${at} divides by zero`;
  return undefined;
}

/** Checks a converter before any bytes arrive, so a bad profile fails at load, not per read. */
export function validateConverter(converter: BluetoothDataConverter): string | undefined {
  const layout = checkLayout(converter);
  if (layout) return layout;
  const ops = converter.orderOfOperations ?? [];
  return ops.map(checkOperation).find(e => e !== undefined);
}

function isDivide(op: ArithmeticOperation | string): boolean {
  return String(op).toLowerCase() === "divide";
}

/** Bytes from `start` to `end` inclusive, walking backwards when `start > end`. */
export function sliceField(data: Uint8Array, start: number, end: number): Uint8Array | undefined {
  if (Math.max(start, end) >= data.length) return undefined;
  const step = start <= end ? 1 : -1;
  const out: number[] = [];
  for (let i = start; i !== end + step; i += step) out.push(data[i]);
  return Uint8Array.from(out);
}

/** Big-endian unsigned integer; BigInt because JS bit shifts stop at 32 bits. */
export function bytesToUnsigned(bytes: Uint8Array): bigint {
  let acc = 0n;
  for (const b of bytes) acc = (acc << 8n) | BigInt(b);
  return acc;
}

export function convertRead(data: Uint8Array, converter: BluetoothDataConverter): ConvertResult {
  const invalid = validateConverter(converter);
  if (invalid) return { ok: false, reason: `invalid dataConverter: ${invalid}` };
  // Omitted indices (an empty `dataConverter`) take the whole value.
  const start = converter.startIndex ?? 0;
  const end = converter.endIndex ?? Math.max(start, data.length - 1);
  if (Math.abs(start - end) + 1 > 8)
    return { ok: false, reason: "the field is wider than 8 bytes" };
  const field = sliceField(data, start, end);
  if (!field) {
    const need = Math.max(start, end) + 1;
    return { ok: false, reason: `value has ${data.length} bytes, the converter needs ${need}` };
  }
  let raw = bytesToUnsigned(field);
  if (converter.shiftLeft) raw <<= BigInt(converter.shiftLeft);
  if (converter.shiftRight) raw >>= BigInt(converter.shiftRight);
  let value = Number(raw);
  for (const op of converter.orderOfOperations ?? []) {
    value = OPERATIONS[String(op.operationType).toLowerCase()](value, op.operationValue);
  }
  return { ok: true, value };
}

/** An empty `dataConverter: {}` (what KubeEdge writes when none is set) means "no conversion". */
export function hasConversion(converter: Partial<BluetoothDataConverter> | undefined): boolean {
  if (!converter) return false;
  return Object.values(converter).some(v => v !== undefined && v !== null);
}
