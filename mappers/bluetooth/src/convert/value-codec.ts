/**
 * Between characteristic bytes and the string values on the twin topics. Writes go through the
 * visitor's `dataWrite` map (desired value → base64 bytes, e.g. "ON" → "AQ=="); reads map back
 * through the same table first, so a config characteristic reads as "ON" again, and otherwise go
 * through the data converter and the model's dataType.
 */
import type { BluetoothVisitorConfig, PropertyDataType } from "@kubeedge-ts/contract";
import { bytesToUnsigned, convertRead, hasConversion } from "./data-converter.js";

export type CodecResult<T> = { ok: true; value: T } | { ok: false; reason: string };

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function decodeBase64(text: string): Buffer | undefined {
  return BASE64.test(text) ? Buffer.from(text, "base64") : undefined;
}

/** Checks every `dataWrite` entry decodes, so a bad profile fails at load with its key named. */
export function validateDataWrite(
  dataWrite: Record<string, unknown> | undefined,
): string | undefined {
  for (const [key, value] of Object.entries(dataWrite ?? {})) {
    if (typeof value !== "string" || !decodeBase64(value)) {
      return `dataWrite["${key}"] must be base64 bytes`;
    }
  }
  return undefined;
}

function lookupDataWrite(dataWrite: Record<string, string>, value: string): string | undefined {
  if (value in dataWrite) return dataWrite[value];
  const folded = Object.keys(dataWrite).find(k => k.toLowerCase() === value.toLowerCase());
  return folded === undefined ? undefined : dataWrite[folded];
}

/** Bytes to write for a desired twin value. */
export function encodeWrite(
  value: string,
  visitor: BluetoothVisitorConfig,
  dataType: PropertyDataType,
): CodecResult<Buffer> {
  const mapped = lookupDataWrite(visitor.dataWrite ?? {}, value);
  if (mapped !== undefined) {
    const buf = decodeBase64(mapped);
    return buf
      ? { ok: true, value: buf }
      : { ok: false, reason: `dataWrite["${value}"] is not base64` };
  }
  if (dataType === "bytes") {
    const buf = decodeBase64(value);
    return buf ? { ok: true, value: buf } : { ok: false, reason: `"${value}" is not base64 bytes` };
  }
  const known = Object.keys(visitor.dataWrite ?? {});
  return {
    ok: false,
    reason: known.length
      ? `no dataWrite entry for "${value}" (known: ${known.join(", ")})`
      : `no dataWrite map to encode "${value}" for characteristic ${visitor.characteristicUUID}`,
  };
}

export function formatNumber(n: number, dataType: PropertyDataType): CodecResult<string> {
  if (!Number.isFinite(n)) return { ok: false, reason: `converted value ${n} is not finite` };
  switch (dataType) {
    case "int":
      return { ok: true, value: String(Math.round(n)) };
    case "boolean":
      return { ok: true, value: String(n !== 0) };
    case "bytes":
      return { ok: false, reason: "a bytes property cannot use a numeric dataConverter" };
    default:
      // Strip binary noise such as 0.1 * 3 = 0.30000000000000004.
      return { ok: true, value: String(Number(n.toPrecision(12))) };
  }
}

function decodeRaw(data: Buffer, dataType: PropertyDataType): CodecResult<string> {
  switch (dataType) {
    case "string":
      return { ok: true, value: data.toString("utf8").replace(/\0+$/, "") };
    case "bytes":
      return { ok: true, value: data.toString("base64") };
    case "boolean":
      return { ok: true, value: String(data.some(b => b !== 0)) };
    default:
      if (data.length === 0 || data.length > 8) {
        return {
          ok: false,
          reason: `cannot read ${data.length} bytes as a number without a dataConverter`,
        };
      }
      return formatNumber(Number(bytesToUnsigned(data)), dataType);
  }
}

/** Twin value for bytes read from (or notified by) a characteristic. */
export function decodeRead(
  data: Buffer,
  visitor: BluetoothVisitorConfig,
  dataType: PropertyDataType,
): CodecResult<string> {
  for (const [key, encoded] of Object.entries(visitor.dataWrite ?? {})) {
    const buf = decodeBase64(encoded);
    if (buf && buf.equals(data)) return { ok: true, value: key };
  }
  if (hasConversion(visitor.dataConverter)) {
    const converted = convertRead(data, visitor.dataConverter!);
    return converted.ok ? formatNumber(converted.value, dataType) : converted;
  }
  return decodeRaw(data, dataType);
}
