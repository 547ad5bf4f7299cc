/**
 * Parsing and validation of what mappers publish. Pure: a payload in, a typed message or a
 * KubeEdge error (code + reason) out. Anything refused here is never stored.
 */
import {
  dataTypeOfTwinType,
  DeviceState,
  parseTwinValue,
  TWIN_KEY_PATTERN,
  TWIN_VALUE_MAX_LENGTH,
  type MsgTwin,
  type TwinValue,
  type TwinVersion,
} from "@kubeedge-ts/contract";
import { put } from "./own-keys.js";
import { badRequest, ok, type Outcome, type TwinFailure } from "./result.js";

type Json = Record<string, unknown>;

export interface ParsedBase {
  eventId: string;
  timestamp?: number;
}

export interface ParsedTwinUpdate extends ParsedBase {
  twin: Record<string, MsgTwin | null>;
}

export interface ParsedStateUpdate extends ParsedBase {
  state: DeviceState;
}

const STATES = new Set<string>(Object.values(DeviceState));

export const KEY_REASON =
  "the twin key must match ^[a-zA-Z0-9-_.,:/@#]{1,128}$ (letters, digits and - _ . , : / @ #)";

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Best effort, for error replies: the event_id of a payload we otherwise refuse. */
export function sniffEventId(payload: string): string {
  try {
    const doc: unknown = JSON.parse(payload);
    if (isObject(doc) && typeof doc.event_id === "string") return doc.event_id.slice(0, 128);
  } catch {
    // not JSON: no event id to echo
  }
  return "";
}

export function parseObject(payload: string): Outcome<Json> {
  let doc: unknown;
  try {
    doc = JSON.parse(payload);
  } catch {
    return badRequest("Unmarshal update request body failed, please check the request");
  }
  return isObject(doc) ? ok(doc) : badRequest("the request body must be a JSON object");
}

/** `event_id` (string, optional) and `timestamp` (number, optional) of every message. */
export function parseBase(doc: Json): Outcome<ParsedBase> {
  const { event_id: eventId, timestamp } = doc;
  if (eventId !== undefined && typeof eventId !== "string") {
    return badRequest("event_id must be a string");
  }
  if (timestamp !== undefined && (typeof timestamp !== "number" || !Number.isFinite(timestamp))) {
    return badRequest("timestamp must be a number (milliseconds since the epoch)");
  }
  const base: ParsedBase = { eventId: eventId ?? "" };
  if (timestamp !== undefined) base.timestamp = timestamp;
  return ok(base);
}

export function parseTwinUpdate(payload: string): Outcome<ParsedTwinUpdate> {
  const doc = parseObject(payload);
  if (!doc.ok) return doc;
  const base = parseBase(doc.value);
  if (!base.ok) return base;
  const twin = doc.value.twin;
  if (!isObject(twin)) return badRequest("Update twin error, key:twin does not exist");
  const out: Record<string, MsgTwin | null> = {};
  for (const [key, raw] of Object.entries(twin)) {
    if (!TWIN_KEY_PATTERN.test(key)) return badRequest(KEY_REASON);
    if (raw === null) {
      put(out, key, null);
      continue;
    }
    const parsed = parseMsgTwin(key, raw);
    if (!parsed.ok) return parsed;
    put(out, key, parsed.value);
  }
  return ok({ ...base.value, twin: out });
}

function parseMsgTwin(key: string, raw: unknown): Outcome<MsgTwin> {
  if (!isObject(raw)) return badRequest(`twin ${key} must be an object or null`);
  const twin: MsgTwin = {};
  const steps = [parseSides, parseOptional, parseTypeMetadata, parseVersions];
  for (const step of steps) {
    const failed = step(key, raw, twin);
    if (failed) return failed;
  }
  return ok(twin);
}

type TwinStep = (key: string, raw: Json, twin: MsgTwin) => TwinFailure | undefined;

const parseSides: TwinStep = (key, raw, twin) => {
  for (const side of ["expected", "actual"] as const) {
    if (raw[side] === undefined) continue;
    const value = parseSideValue(`${key}.${side}`, raw[side]);
    if (!value.ok) return value;
    // KubeEdge's mapper framework sends `expected: {value: ""}` when it knows no desired value;
    // an empty value says nothing, so it is left out (KubeEdge skips its checks for it too).
    if (value.value.value !== "") twin[side] = value.value;
  }
  return undefined;
};

const parseOptional: TwinStep = (key, raw, twin) => {
  if (raw.optional === undefined) return undefined;
  if (typeof raw.optional !== "boolean") return badRequest(`${key}.optional must be a boolean`);
  twin.optional = raw.optional;
  return undefined;
};

const parseTypeMetadata: TwinStep = (key, raw, twin) => {
  const meta = raw.metadata;
  if (meta === undefined) return undefined;
  if (!isObject(meta) || (meta.type !== undefined && typeof meta.type !== "string")) {
    return badRequest(`${key}.metadata must be an object with a string type`);
  }
  twin.metadata = meta.type === undefined ? {} : { type: meta.type };
  return undefined;
};

const parseVersions: TwinStep = (key, raw, twin) => {
  for (const field of ["expected_version", "actual_version"] as const) {
    if (raw[field] === undefined) continue;
    const version = parseVersion(`${key}.${field}`, raw[field]);
    if (!version.ok) return version;
    twin[field] = version.value;
  }
  return undefined;
};

function parseSideValue(where: string, raw: unknown): Outcome<TwinValue> {
  if (!isObject(raw)) return badRequest(`${where} must be an object`);
  const { value, metadata } = raw;
  if (typeof value !== "string") return badRequest(`${where}.value must be a string`);
  if (value.length > TWIN_VALUE_MAX_LENGTH) {
    return badRequest(`${where}.value must be 1 to ${TWIN_VALUE_MAX_LENGTH} characters long`);
  }
  const out: TwinValue = { value };
  if (metadata !== undefined) {
    if (!isObject(metadata)) return badRequest(`${where}.metadata must be an object`);
    const ts = metadata.timestamp;
    if (ts !== undefined && (typeof ts !== "number" || !Number.isFinite(ts) || ts < 0)) {
      return badRequest(`${where}.metadata.timestamp must be a non-negative number`);
    }
    out.metadata = ts === undefined ? {} : { timestamp: ts };
  }
  return ok(out);
}

function parseVersion(where: string, raw: unknown): Outcome<TwinVersion> {
  if (!isObject(raw)) return badRequest(`${where} must be an object {cloud, edge}`);
  const cloud = raw.cloud ?? 0;
  const edge = raw.edge ?? 0;
  if (!Number.isSafeInteger(cloud) || !Number.isSafeInteger(edge)) {
    return badRequest(`${where}.cloud and .edge must be integers`);
  }
  if ((cloud as number) < 0 || (edge as number) < 0) {
    return badRequest(`${where}.cloud and .edge must not be negative`);
  }
  return ok({ cloud: cloud as number, edge: edge as number });
}

export function parseStateUpdate(payload: string): Outcome<ParsedStateUpdate> {
  const doc = parseObject(payload);
  if (!doc.ok) return doc;
  const base = parseBase(doc.value);
  if (!base.ok) return base;
  const state = doc.value.state;
  if (typeof state !== "string") return badRequest("state must be a string");
  // KubeEdge's mappers send states in any case ("OK", "online"); compare lowercased.
  const lower = state.toLowerCase();
  if (!STATES.has(lower)) {
    return badRequest(`state must be one of ${[...STATES].join(", ")}, got "${state}"`);
  }
  return ok({ ...base.value, state: lower as DeviceState });
}

/** Payload of `twin/get` and `membership/get`: only the event id matters. */
export function parseGet(payload: string): Outcome<ParsedBase> {
  // An empty payload is a valid request (mosquitto_pub -n): nothing to echo.
  if (payload.trim() === "") return ok({ eventId: "" });
  const doc = parseObject(payload);
  if (!doc.ok) return doc;
  return parseBase(doc.value);
}

/**
 * Checks a value against a twin's `metadata.type` (KubeEdge's ValidateValue) with the contract's
 * twin value rules, the same ones cloud admission and the mappers apply; the reason when it
 * does not fit.
 */
export function validateValue(type: string, value: string): string | undefined {
  const dataType = dataTypeOfTwinType(type);
  if (dataType === undefined) return "the value type is not allowed";
  if (dataType === "untyped") return undefined;
  const parsed = parseTwinValue(dataType, value);
  return parsed.ok ? undefined : `the value ${parsed.reason}`;
}
