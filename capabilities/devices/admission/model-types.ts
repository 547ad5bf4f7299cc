/**
 * DeviceModel property types: which member of `type` is set, and what its values look like.
 * KubeEdge keeps every twin value as a string; these parse it the way the model's type says.
 */
import type { DeviceModelProperty, DeviceModelPropertyType } from "../../../crds/index.js";

export type PropertyKind = "int" | "double" | "float" | "string" | "boolean" | "bytes";
export const PROPERTY_KINDS: readonly PropertyKind[] = [
  "int",
  "double",
  "float",
  "string",
  "boolean",
  "bytes",
];

export interface PropertyTypeSpec {
  accessMode?: string;
  defaultValue?: number | string | boolean;
  minimum?: number;
  maximum?: number;
  unit?: string;
}

export interface ResolvedType {
  kind: PropertyKind;
  spec: PropertyTypeSpec;
}

/** The members set on a property's `type` (a legal property has exactly one). */
export function typeMembers(type: DeviceModelPropertyType | undefined): PropertyKind[] {
  return PROPERTY_KINDS.filter(k => type?.[k] !== undefined && type?.[k] !== null);
}

export function resolveType(prop: DeviceModelProperty | undefined): ResolvedType | undefined {
  const members = typeMembers(prop?.type);
  if (members.length !== 1) return undefined;
  return { kind: members[0], spec: prop!.type[members[0]] as PropertyTypeSpec };
}

export function isNumericKind(kind: PropertyKind): boolean {
  return kind === "int" || kind === "double" || kind === "float";
}

/** Largest finite single-precision value. */
const FLOAT32_MAX = 3.4028234663852886e38;
/** Go's strconv.ParseBool spellings, which KubeEdge mappers accept. */
const BOOLEAN_TEXT = new Set([
  "1",
  "t",
  "T",
  "TRUE",
  "true",
  "True",
  "0",
  "f",
  "F",
  "FALSE",
  "false",
  "False",
]);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** KubeEdge's twin value length limit. */
export const MAX_TWIN_VALUE_LENGTH = 512;

export type Parsed = { ok: true; value: number | string | boolean } | { ok: false; reason: string };

function parseNumber(kind: PropertyKind, text: string): Parsed {
  if (kind === "int") {
    const n = Number(text);
    return /^[+-]?\d+$/.test(text) && Number.isSafeInteger(n)
      ? { ok: true, value: n }
      : { ok: false, reason: "is not an int" };
  }
  const n = text.trim() === "" ? NaN : Number(text);
  if (!Number.isFinite(n)) return { ok: false, reason: `is not a ${kind}` };
  if (kind === "float" && Math.abs(n) > FLOAT32_MAX) {
    return { ok: false, reason: "is out of the float range" };
  }
  return { ok: true, value: n };
}

/** Parses a twin value (always text on the wire) as the model's type says. */
export function parseTwinValue(kind: PropertyKind, text: string): Parsed {
  if (text.length > MAX_TWIN_VALUE_LENGTH) {
    return { ok: false, reason: `is longer than ${MAX_TWIN_VALUE_LENGTH} characters` };
  }
  if (isNumericKind(kind)) return parseNumber(kind, text);
  if (kind === "boolean") {
    return BOOLEAN_TEXT.has(text)
      ? { ok: true, value: /^(1|t|true)$/i.test(text) }
      : { ok: false, reason: "is not a boolean" };
  }
  if (kind === "bytes") {
    return BASE64.test(text)
      ? { ok: true, value: text }
      : { ok: false, reason: "is not base64-encoded bytes" };
  }
  return { ok: true, value: text };
}

/** Why `value` lies outside the property's [minimum, maximum], or undefined when it does not. */
export function rangeViolation(spec: PropertyTypeSpec, value: number): string | undefined {
  if (typeof spec.minimum === "number" && value < spec.minimum) {
    return `is below the model minimum ${spec.minimum}`;
  }
  if (typeof spec.maximum === "number" && value > spec.maximum) {
    return `is above the model maximum ${spec.maximum}`;
  }
  return undefined;
}
