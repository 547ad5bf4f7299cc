/**
 * JSON payloads on KubeEdge's MQTT topics (KubeEdge's devicetwin `dttype` package, seeds'
 * manual chapters 26 and 33). Field names are wire names: snake_case where KubeEdge uses it.
 */

export interface BaseMessage {
  event_id: string;
  /** Milliseconds since the epoch. */
  timestamp: number;
}

export interface ValueMetadata {
  timestamp?: number;
}

export interface TwinValue {
  value?: string;
  metadata?: ValueMetadata;
}

export interface TwinVersion {
  cloud: number;
  edge: number;
}

export interface TypeMetadata {
  type?: string;
}

export interface MsgTwin {
  expected?: TwinValue;
  actual?: TwinValue;
  optional?: boolean;
  metadata?: TypeMetadata;
  expected_version?: TwinVersion;
  actual_version?: TwinVersion;
}

export interface MsgAttr {
  value: string;
  optional?: boolean;
  metadata?: TypeMetadata;
}

/** `.../twin/update`, `.../twin/update/result`, `.../twin/get/result`, `.../twin/cloud_updated`. */
export interface DeviceTwinUpdate extends BaseMessage {
  twin: Record<string, MsgTwin | null>;
}

/** `.../twin/update/delta`: only properties whose expected value differs from the actual one. */
export interface DeviceTwinDelta extends BaseMessage {
  twin: Record<string, MsgTwin>;
  delta: Record<string, string>;
}

export interface TwinDoc {
  last: MsgTwin | null;
  current: MsgTwin | null;
}

/** `.../twin/update/document`. */
export interface DeviceTwinDocument extends BaseMessage {
  twin: Record<string, TwinDoc>;
}

/** Error replies on a result topic. */
export interface ErrorResult extends BaseMessage {
  code: number;
  reason: string;
}

export enum ErrorCode {
  BadRequest = 400,
  /** A topic no MQTT client may publish (the cloud's sync path is internal to the agent). */
  Forbidden = 403,
  NotFound = 404,
  Conflict = 409,
  Internal = 500,
}

export enum DeviceState {
  Online = "online",
  Offline = "offline",
  Ok = "ok",
  Unknown = "unknown",
  Unhealthy = "unhealthy",
}

/** `.../state/update` from a mapper. */
export interface DeviceStateUpdate extends BaseMessage {
  state: DeviceState | string;
  /** Ours, additive: why a mapper reports `unhealthy`/`offline`. KubeEdge ignores it. */
  reason?: string;
}

/** `.../state/update/result`. */
export interface DeviceStateUpdateResult extends BaseMessage {
  device: { name: string; state: string; lastOnlineTime?: string };
}

export interface MembershipDevice {
  id: string;
  name: string;
  description?: string;
  state?: string;
  last_online?: string;
  attributes?: Record<string, MsgAttr>;
  twin?: Record<string, MsgTwin>;
}

/** `$hw/events/node/{node}/membership/get/result` and `.../membership/detail`. */
export interface MembershipGetResult extends BaseMessage {
  devices: MembershipDevice[];
}

/** `$hw/events/node/{node}/membership/updated`. */
export interface MembershipUpdate extends BaseMessage {
  added_devices: MembershipDevice[];
  removed_devices: MembershipDevice[];
}

/** `$hw/events/device/{id}/updated`: attribute changes. */
export interface DeviceAttributeUpdate extends BaseMessage {
  attributes: Record<string, MsgAttr | null>;
}

/** `$ke/events/device/{id}/data/update`: time-series data not kept as twins. */
export interface DeviceDataUpdate extends BaseMessage {
  data: Record<string, { value: string; metadata?: { timestamp?: number; type?: string } }>;
}
