/**
 * The one rule set for twin values: cloud admission, the edge agent and the mappers all judge a
 * value with these functions, so what one side admits the others accept with the same meaning.
 *
 * KubeEdge keeps every twin value as text. Its Go side parses that text with strconv:
 * ParseBool for booleans, ParseInt(s, 10, 64) for ints, ParseFloat(s, 32|64) for floats (the
 * edge's devicetwin checks booleans more narrowly, "true"/"false" only, while its Go mappers
 * take every ParseBool spelling). The spellings accepted here, chosen so that every value we
 * admit is one KubeEdge's Go mappers parse to the same value:
 * - boolean: exactly Go's ParseBool set — 1 t T TRUE true True / 0 f F FALSE false False.
 *   Canonical "true" / "false". Other words ("on", "yes", "tRuE") are refused everywhere.
 * - int: ParseInt's base-10 form, `[+-]digits`, no spaces, no underscores, no "25.0". The range
 *   is narrowed from int64 to ±(2^53−1): a JavaScript number cannot carry more exactly, and a
 *   value we could not hand to a driver unchanged must not be admitted. Canonical: decimal
 *   without sign or leading zeros ("+007" → "7", "-0" → "0").
 * - float / double: the decimal subset of ParseFloat — `[+-]`, digits with an optional point
 *   (".5" and "5." included), an optional exponent. Refused although Go accepts them: inf/NaN
 *   (a range check means nothing for them and JSON cannot carry them), hex floats ("0x1p4")
 *   and underscores ("1_000"), which no KubeEdge mapper or user writes. A float must lie within
 *   single precision (ParseFloat(s, 32) refuses more). Canonical: the shortest decimal of the
 *   number, for float of its single-precision value to 7 significant digits.
 * - bytes: standard padded base64 (KubeEdge checks nothing; we keep the model's promise).
 *   Canonical: the same text.
 * - string: anything. Every value of every type is at most 512 characters (KubeEdge's limit).
 * The empty string means "no value" on the twin topics; callers decide what it means to them.
 */

/** The data types a DeviceModel property can have (one member of its `type`). */
export const TWIN_DATA_TYPES = ["int", "double", "float", "string", "boolean", "bytes"] as const;
export type TwinDataType = (typeof TWIN_DATA_TYPES)[number];

/** Twin keys and values as KubeEdge's devicetwin validates them. */
export const TWIN_KEY_PATTERN = /^[a-zA-Z0-9-_.,:/@#]{1,128}$/;
export const TWIN_VALUE_MAX_LENGTH = 512;

export type TypedTwinValue = number | boolean | string | Uint8Array;
export type ValueResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Largest finite single-precision value (ParseFloat(s, 32) refuses beyond it). */
const FLOAT32_MAX = 3.4028234663852886e38;
const TRUE_TEXT = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const FALSE_TEXT = new Set(["0", "f", "F", "FALSE", "false", "False"]);
const INT_TEXT = /^[+-]?\d+$/;
const DECIMAL_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const BASE64_TEXT = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function isTwinDataType(name: string): name is TwinDataType {
  return (TWIN_DATA_TYPES as readonly string[]).includes(name);
}

export function isNumericDataType(dataType: TwinDataType): boolean {
  return dataType === "int" || dataType === "double" || dataType === "float";
}

function refuse(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

function parseInt64Subset(text: string): ValueResult<number> {
  if (!INT_TEXT.test(text)) return refuse("is not an int");
  const n = Number(text);
  return Number.isSafeInteger(n) ? { ok: true, value: n } : refuse("is out of the int range");
}

function parseDecimal(text: string, dataType: "float" | "double"): ValueResult<number> {
  if (!DECIMAL_TEXT.test(text)) return refuse(`is not a ${dataType}`);
  const n = Number(text);
  if (!Number.isFinite(n)) return refuse(`is out of the ${dataType} range`);
  if (dataType === "float" && Math.abs(n) > FLOAT32_MAX) return refuse("is out of the float range");
  return { ok: true, value: n };
}

/** Parses a twin value (always text on the wire) into the model's type; the reason when not. */
export function parseTwinValue(dataType: TwinDataType, text: string): ValueResult<TypedTwinValue> {
  if (text.length > TWIN_VALUE_MAX_LENGTH) {
    return refuse(`is longer than ${TWIN_VALUE_MAX_LENGTH} characters`);
  }
  switch (dataType) {
    case "int":
      return parseInt64Subset(text);
    case "float":
    case "double":
      return parseDecimal(text, dataType);
    case "boolean":
      if (TRUE_TEXT.has(text)) return { ok: true, value: true };
      if (FALSE_TEXT.has(text)) return { ok: true, value: false };
      return refuse("is not a boolean");
    case "bytes":
      return BASE64_TEXT.test(text)
        ? { ok: true, value: new Uint8Array(Buffer.from(text, "base64")) }
        : refuse("is not base64-encoded bytes");
    case "string":
      return { ok: true, value: text };
    default:
      return refuse(`has an unknown data type ${String(dataType)}`);
  }
}

/** Float32 readings carry binary noise (0.1 → 0.10000000149…); 7 significant digits is exact. */
function formatFloat32(n: number): string {
  return String(Number(Math.fround(n).toPrecision(7)));
}

/** Formats a typed value as its canonical twin text ("25", "21.5", "true", base64). */
export function formatTwinValue(dataType: TwinDataType, value: TypedTwinValue): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  switch (dataType) {
    case "int":
      return String(Math.round(Number(value)));
    case "float":
      return formatFloat32(Number(value));
    case "double":
      return String(Number(value));
    case "boolean":
      return typeof value === "boolean" ? String(value) : String(Number(value) !== 0);
    default:
      return String(value);
  }
}

/** The canonical text of a twin value: every accepted spelling of one value gives one text. */
export function canonicalTwinValue(dataType: TwinDataType, text: string): ValueResult<string> {
  const parsed = parseTwinValue(dataType, text);
  if (!parsed.ok) return parsed;
  return dataType === "bytes" || dataType === "string"
    ? { ok: true, value: text }
    : { ok: true, value: formatTwinValue(dataType, parsed.value) };
}

export interface TwinValueBounds {
  minimum?: number;
  maximum?: number;
}

/** Why `value` lies outside [minimum, maximum] (either may be absent), or undefined. */
export function twinRangeViolation(bounds: TwinValueBounds, value: number): string | undefined {
  if (typeof bounds.minimum === "number" && value < bounds.minimum) {
    return `is below minimum ${bounds.minimum}`;
  }
  if (typeof bounds.maximum === "number" && value > bounds.maximum) {
    return `is above maximum ${bounds.maximum}`;
  }
  return undefined;
}

/** Parses a value and checks a number against the property's bounds: what a desired value must pass. */
export function checkTwinValue(
  dataType: TwinDataType,
  bounds: TwinValueBounds,
  text: string,
): ValueResult<TypedTwinValue> {
  const parsed = parseTwinValue(dataType, text);
  if (!parsed.ok || !isNumericDataType(dataType)) return parsed;
  const why = twinRangeViolation(bounds, parsed.value as number);
  return why ? refuse(why) : parsed;
}

/**
 * The twin's `metadata.type` on the MQTT topics: a model data type, KubeEdge's "integer" alias
 * of int, "" (untyped: a string) or "deleted". Undefined for any other name.
 */
export function dataTypeOfTwinType(type: string): TwinDataType | "untyped" | undefined {
  if (type === "" || type === "deleted") return "untyped";
  if (type === "integer") return "int";
  return isTwinDataType(type) ? type : undefined;
}
