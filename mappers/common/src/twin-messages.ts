/**
 * Builders and parsers for the twin-topic payloads a mapper sends and receives. Pure: the MQTT
 * adapter only moves bytes.
 */
import { randomUUID } from "node:crypto";
import { dataTopic } from "@kubeedge-ts/contract";
import type {
  BaseMessage,
  DeviceDataUpdate,
  DeviceStateUpdate,
  DeviceTwinUpdate,
  MsgTwin,
} from "@kubeedge-ts/contract";
import type { Result } from "./convert.js";

export interface ActualValue {
  value: string;
  /** The model's dataType, carried as twin metadata like KubeEdge's mappers do. */
  type: string;
  /** Milliseconds since the epoch when the value was read. */
  timestamp?: number;
}

function base(now: number): BaseMessage {
  return { event_id: randomUUID(), timestamp: now };
}

/** `.../twin/update` carrying actual (reported) values. */
export function twinActualMessage(
  values: Record<string, ActualValue>,
  now: number = Date.now(),
): DeviceTwinUpdate {
  const twin: Record<string, MsgTwin> = {};
  for (const [name, v] of Object.entries(values)) {
    twin[name] = {
      actual: { value: v.value, metadata: { timestamp: v.timestamp ?? now } },
      metadata: { type: v.type },
    };
  }
  return { ...base(now), twin };
}

/**
 * `.../state/update`. `reason` is our additive field: KubeEdge ignores unknown fields, and an
 * operator sees why a device is unhealthy without reading mapper logs.
 */
export function stateMessage(
  state: string,
  reason?: string,
  now: number = Date.now(),
): DeviceStateUpdate {
  return reason ? { ...base(now), state, reason } : { ...base(now), state };
}

/** `$ke/events/device/{id}/data/update`: time-series values of the `data` section. */
export function dataMessage(
  values: Record<string, ActualValue>,
  now: number = Date.now(),
): DeviceDataUpdate {
  const data: DeviceDataUpdate["data"] = {};
  for (const [name, v] of Object.entries(values)) {
    data[name] = { value: v.value, metadata: { timestamp: v.timestamp ?? now, type: v.type } };
  }
  return { ...base(now), data };
}

/**
 * Where a device's data goes: its `data.dataTopic` with the `+` wildcard KubeEdge's samples
 * write (`$ke/events/device/+/data/update`) replaced by the device id, else the default topic.
 */
export function resolveDataTopic(deviceId: string, configured?: string): string {
  if (!configured) return dataTopic(deviceId);
  return configured.includes("+") ? configured.replace("+", deviceId) : configured;
}

/** `.../twin/get`: asks the edge agent for the device's whole twin. */
export function twinGetMessage(now: number = Date.now()): BaseMessage {
  return base(now);
}

function parseObject(payload: Buffer | string): Result<Record<string, unknown>> {
  try {
    const doc: unknown = JSON.parse(payload.toString());
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
      return { ok: false, reason: "payload is not a JSON object" };
    }
    return { ok: true, value: doc as Record<string, unknown> };
  } catch (err) {
    return { ok: false, reason: `payload is not JSON: ${(err as Error).message}` };
  }
}

/** Desired values from `.../twin/update/delta`: `delta` is `{ property: "value" }`. */
export function parseDelta(payload: Buffer | string): Result<Record<string, string>> {
  const doc = parseObject(payload);
  if (!doc.ok) return doc;
  const delta = doc.value.delta;
  if (typeof delta !== "object" || delta === null) return { ok: false, reason: "no delta object" };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(delta)) {
    // An empty desired value declares a twin (KubeEdge style); it is never a write.
    if (typeof v === "string" && v !== "") out[k] = v;
    else if (typeof v === "number" || typeof v === "boolean") out[k] = String(v);
  }
  return { ok: true, value: out };
}

/**
 * Desired values from `.../twin/get/result` (or `twin/update/result`): every twin that has a
 * non-empty expected value (an empty one only declares the twin). The caller decides which
 * differ from what the device holds.
 */
export function parseTwinExpected(payload: Buffer | string): Result<Record<string, string>> {
  const doc = parseObject(payload);
  if (!doc.ok) return doc;
  const twin = doc.value.twin;
  if (typeof twin !== "object" || twin === null) return { ok: false, reason: "no twin object" };
  const out: Record<string, string> = {};
  for (const [k, t] of Object.entries(twin as Record<string, MsgTwin | null>)) {
    const value = t?.expected?.value;
    if (typeof value === "string" && value !== "") out[k] = value;
  }
  return { ok: true, value: out };
}
