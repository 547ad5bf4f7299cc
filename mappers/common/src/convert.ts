/**
 * Conversion between the string values on the twin topics and typed values, by the model's
 * dataType, plus the checks a desired value must pass before a mapper writes it to a device.
 */
import type { PropertyDataType, ProfileProperty } from "@kubeedge-ts/contract";

export type TypedValue = number | boolean | string | Uint8Array;

export type Result<T> = { ok: true; value: T } | { ok: false; reason: string };

const INT_PATTERN = /^[+-]?\d+(\.0*)?$/;
const TRUE_WORDS = new Set(["true", "1", "on"]);
const FALSE_WORDS = new Set(["false", "0", "off"]);

function parseNumber(text: string, dataType: PropertyDataType): Result<number> {
  const trimmed = text.trim();
  if (dataType === "int") {
    if (!INT_PATTERN.test(trimmed)) return { ok: false, reason: `"${text}" is not an int` };
    const n = Number(trimmed);
    if (!Number.isSafeInteger(n)) return { ok: false, reason: `"${text}" is out of int range` };
    return { ok: true, value: n };
  }
  const n = trimmed === "" ? NaN : Number(trimmed);
  if (!Number.isFinite(n)) return { ok: false, reason: `"${text}" is not a ${dataType}` };
  return { ok: true, value: n };
}

/** Parses a twin value (always a string on the wire) into the model's type. */
export function parseTypedValue(text: string, dataType: PropertyDataType): Result<TypedValue> {
  switch (dataType) {
    case "int":
    case "float":
    case "double":
      return parseNumber(text, dataType);
    case "boolean": {
      const word = text.trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return { ok: true, value: true };
      if (FALSE_WORDS.has(word)) return { ok: true, value: false };
      return { ok: false, reason: `"${text}" is not a boolean` };
    }
    case "string":
      return { ok: true, value: text };
    case "bytes":
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
        return { ok: false, reason: `"${text}" is not base64` };
      }
      return { ok: true, value: new Uint8Array(Buffer.from(text, "base64")) };
    default:
      return { ok: false, reason: `unknown dataType ${String(dataType)}` };
  }
}

/** Float32 readings carry binary noise (0.1 → 0.10000000149…); 7 significant digits is exact. */
function formatFloat(n: number): string {
  return String(Number(Math.fround(n).toPrecision(7)));
}

/** Formats a typed value as the twin string KubeEdge expects ("25", "21.5", "true"). */
export function formatTypedValue(value: TypedValue, dataType: PropertyDataType): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  switch (dataType) {
    case "int":
      return String(Math.round(Number(value)));
    case "float":
      return formatFloat(Number(value));
    case "double":
      return String(Number(value));
    case "boolean":
      return typeof value === "boolean" ? String(value) : String(Number(value) !== 0);
    default:
      return String(value);
  }
}

function isNumeric(dataType: PropertyDataType): boolean {
  return dataType === "int" || dataType === "float" || dataType === "double";
}

/** Checks a numeric value against the model's minimum/maximum (either may be absent). */
export function checkRange(property: ProfileProperty, value: number): Result<number> {
  if (property.minimum !== undefined && value < property.minimum) {
    return {
      ok: false,
      reason: `${value} is below minimum ${property.minimum} of ${property.name}`,
    };
  }
  if (property.maximum !== undefined && value > property.maximum) {
    return {
      ok: false,
      reason: `${value} is above maximum ${property.maximum} of ${property.name}`,
    };
  }
  return { ok: true, value };
}

/**
 * Decides whether a desired value may be written: the property must be ReadWrite (KubeEdge's
 * default access mode is ReadWrite), the text must parse as the model's type, and numbers must
 * lie within the model's range.
 */
export function checkDesired(property: ProfileProperty, text: string): Result<TypedValue> {
  if (property.accessMode === "ReadOnly") {
    return { ok: false, reason: `property ${property.name} is ReadOnly` };
  }
  const parsed = parseTypedValue(text, property.dataType);
  if (!parsed.ok) return { ok: false, reason: `${property.name}: ${parsed.reason}` };
  if (isNumeric(property.dataType)) {
    const ranged = checkRange(property, parsed.value as number);
    if (!ranged.ok) return ranged;
  }
  return parsed;
}

/** Profile cycles are nanoseconds (Go time.Duration in KubeEdge's CRD); timers want ms. */
export function cycleToMs(ns: number | undefined, fallbackMs: number, minMs = 10): number {
  if (ns === undefined || !Number.isFinite(ns) || ns <= 0) return fallbackMs;
  return Math.max(minMs, Math.round(ns / 1e6));
}
