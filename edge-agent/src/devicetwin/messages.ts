/**
 * Builders of the payloads the agent publishes, shaped as KubeEdge's dttype package marshals
 * them (field names and omissions included), so an unchanged KubeEdge mapper parses them.
 */
import type {
  DeviceAttributeUpdate,
  DeviceStateUpdateResult,
  DeviceTwinDelta,
  DeviceTwinDocument,
  DeviceTwinUpdate,
  ErrorResult,
  MembershipDevice,
  MembershipGetResult,
  MembershipUpdate,
  MsgAttr,
  MsgTwin,
  TwinDoc,
} from "@kubeedge-ts/contract";
import type { TwinFailure } from "./result.js";
import { buildDelta, publicTwins, type TwinMap } from "./twin-merge.js";
import type { DeviceRecord, Publish } from "./types.js";

/** An MQTT message for the EventBus to publish: the topic and the body as JSON. */
export function outgoing(topic: string, body: unknown): Publish {
  return { topic, payload: JSON.stringify(body) };
}

export function errorResult(eventId: string, now: number, failure: TwinFailure): ErrorResult {
  return { event_id: eventId, timestamp: now, code: failure.code, reason: failure.reason };
}

export function twinResult(
  eventId: string,
  now: number,
  twin: Record<string, MsgTwin | null>,
): DeviceTwinUpdate {
  return { event_id: eventId, timestamp: now, twin };
}

export function twinDocument(
  eventId: string,
  now: number,
  twin: Record<string, TwinDoc>,
): DeviceTwinDocument {
  return { event_id: eventId, timestamp: now, twin };
}

export function twinDelta(
  eventId: string,
  now: number,
  twins: TwinMap,
): DeviceTwinDelta | undefined {
  const d = buildDelta(twins);
  return d ? { event_id: eventId, timestamp: now, twin: d.twin, delta: d.delta } : undefined;
}

export function stateResult(
  eventId: string,
  now: number,
  device: DeviceRecord,
): DeviceStateUpdateResult {
  const out: DeviceStateUpdateResult["device"] = { name: device.name, state: device.state };
  if (device.lastOnline) out.lastOnlineTime = device.lastOnline;
  return { event_id: eventId, timestamp: now, device: out };
}

export function attributesUpdated(
  eventId: string,
  now: number,
  attributes: Record<string, MsgAttr | null>,
): DeviceAttributeUpdate {
  return { event_id: eventId, timestamp: now, attributes };
}

/** A device as membership messages carry it; `withTwin` for updated/detail, not for get. */
export function membershipDevice(device: DeviceRecord, withTwin: boolean): MembershipDevice {
  const out: MembershipDevice = { id: device.wireId, name: device.name };
  if (device.description) out.description = device.description;
  if (device.state) out.state = device.state;
  if (device.lastOnline) out.last_online = device.lastOnline;
  if (Object.keys(device.attributes).length > 0)
    out.attributes = structuredClone(device.attributes);
  if (withTwin && Object.keys(device.twins).length > 0) out.twin = publicTwins(device.twins);
  return out;
}

export function membershipResult(
  eventId: string,
  now: number,
  devices: DeviceRecord[],
  withTwin = false,
): MembershipGetResult {
  return {
    event_id: eventId,
    timestamp: now,
    devices: devices.map(d => membershipDevice(d, withTwin)),
  };
}

export function membershipUpdated(
  eventId: string,
  now: number,
  added: DeviceRecord[],
  removed: DeviceRecord[],
): MembershipUpdate {
  return {
    event_id: eventId,
    timestamp: now,
    added_devices: added.map(d => membershipDevice(d, true)),
    removed_devices: removed.map(d => membershipDevice(d, true)),
  };
}
