/**
 * Conversions between DeviceTwin's in-memory shapes and its SQLite rows (KubeEdge's
 * DeviceTwinToMsgTwin / MsgTwinToDeviceTwin). Pure.
 */
import type { MsgAttr, MsgTwin, TwinVersion, ValueMetadata } from "@kubeedge-ts/contract";

export interface DeviceRow {
  id: string;
  name: string;
  namespace: string;
  description: string;
  state: string;
  last_online: string;
  model: string;
  /** The id in MQTT topics and membership lists; '' (rows from before) means the name. */
  wire_id?: string;
}

export interface DeviceAttrRow {
  id?: number;
  deviceid: string;
  name: string;
  description: string;
  value: string;
  optional: number;
  attr_type: string;
  metadata: string;
}

export interface DeviceTwinRow {
  id?: number;
  deviceid: string;
  name: string;
  description: string;
  expected: string | null;
  actual: string | null;
  expected_meta: string | null;
  actual_meta: string | null;
  expected_version: string | null;
  actual_version: string | null;
  optional: number;
  attr_type: string;
  metadata: string;
}

function json(v: unknown): string | null {
  return v === undefined ? null : JSON.stringify(v);
}

function parse<T>(s: string | null): T | undefined {
  if (s === null || s === "") return undefined;
  try {
    return JSON.parse(s) as T;
  } catch {
    return undefined;
  }
}

export function twinToRow(deviceId: string, name: string, twin: MsgTwin): DeviceTwinRow {
  return {
    deviceid: deviceId,
    name,
    description: "",
    expected: twin.expected?.value ?? null,
    actual: twin.actual?.value ?? null,
    expected_meta: json(twin.expected?.metadata),
    actual_meta: json(twin.actual?.metadata),
    expected_version: json(twin.expected_version),
    actual_version: json(twin.actual_version),
    optional: twin.optional === false ? 0 : 1,
    attr_type: twin.metadata?.type ?? "string",
    metadata: "",
  };
}

export function rowToTwin(row: DeviceTwinRow): MsgTwin {
  const twin: MsgTwin = { optional: row.optional !== 0, metadata: { type: row.attr_type } };
  if (row.expected !== null) {
    twin.expected = { value: row.expected };
    const meta = parse<ValueMetadata>(row.expected_meta);
    if (meta) twin.expected.metadata = meta;
  }
  if (row.actual !== null) {
    twin.actual = { value: row.actual };
    const meta = parse<ValueMetadata>(row.actual_meta);
    if (meta) twin.actual.metadata = meta;
  }
  const ev = parse<TwinVersion>(row.expected_version);
  if (ev) twin.expected_version = ev;
  const av = parse<TwinVersion>(row.actual_version);
  if (av) twin.actual_version = av;
  return twin;
}

export function attrToRow(deviceId: string, name: string, attr: MsgAttr): DeviceAttrRow {
  return {
    deviceid: deviceId,
    name,
    description: "",
    value: attr.value,
    optional: attr.optional === false ? 0 : 1,
    attr_type: attr.metadata?.type ?? "string",
    metadata: "",
  };
}

export function rowToAttr(row: DeviceAttrRow): MsgAttr {
  return { value: row.value, optional: row.optional !== 0, metadata: { type: row.attr_type } };
}
