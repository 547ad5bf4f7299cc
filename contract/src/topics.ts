/**
 * KubeEdge's MQTT topic contract. KubeEdge <= 1.16 put the device id in one topic segment
 * (`{name}`); >= 1.17 uses two (`{namespace}/{name}`). Our v1alpha2 profiles use the one-segment
 * form (`wireDeviceId`). Builders take whatever id they are given; the parser finds the known
 * suffix from the end so both forms parse (the agent then answers a form that is not the
 * device's wire id with an error result).
 */

export const DEVICE_PREFIX = "$hw/events/device/";
export const NODE_PREFIX = "$hw/events/node/";
export const DATA_PREFIX = "$ke/events/device/";
export const UPLOAD_PREFIX = "$hw/events/upload/";
export const UPLOAD_RECORDS_TOPIC = "SYS/dis/upload_records";
export const BLUETOOTH_MAPPER_PREFIX = "$ke/device/bluetooth-mapper/";

/** Device-topic suffixes, longest first so parsing never stops at a shorter prefix of one. */
export enum DeviceTopicSuffix {
  TwinUpdateResult = "/twin/update/result",
  TwinUpdateDelta = "/twin/update/delta",
  TwinUpdateDocument = "/twin/update/document",
  TwinGetResult = "/twin/get/result",
  TwinCloudUpdated = "/twin/cloud_updated",
  StateUpdateResult = "/state/update/result",
  TwinUpdate = "/twin/update",
  TwinGet = "/twin/get",
  StateUpdate = "/state/update",
  AttributesUpdated = "/updated",
}

export enum NodeTopicSuffix {
  MembershipGetResult = "/membership/get/result",
  MembershipUpdated = "/membership/updated",
  MembershipDetail = "/membership/detail",
  MembershipGet = "/membership/get",
}

export const DATA_UPDATE_SUFFIX = "/data/update";

/** Topics the edge agent subscribes to (both device-id forms). */
export const EDGE_SUBSCRIPTIONS: readonly string[] = [
  `${NODE_PREFIX}+/membership/get`,
  `${DEVICE_PREFIX}+/state/update`,
  `${DEVICE_PREFIX}+/+/state/update`,
  `${DEVICE_PREFIX}+/twin/+`,
  `${DEVICE_PREFIX}+/+/twin/+`,
  `${UPLOAD_PREFIX}#`,
  UPLOAD_RECORDS_TOPIC,
];

export function deviceTopic(deviceId: string, suffix: DeviceTopicSuffix): string {
  return `${DEVICE_PREFIX}${deviceId}${suffix}`;
}

export function nodeTopic(nodeName: string, suffix: NodeTopicSuffix): string {
  return `${NODE_PREFIX}${nodeName}${suffix}`;
}

export function dataTopic(deviceId: string): string {
  return `${DATA_PREFIX}${deviceId}${DATA_UPDATE_SUFFIX}`;
}

export interface ParsedDeviceTopic {
  /** The id exactly as it appeared: `name` or `namespace/name`. */
  deviceId: string;
  namespace?: string;
  name: string;
  suffix: DeviceTopicSuffix;
}

const DEVICE_SUFFIXES = Object.values(DeviceTopicSuffix).sort((a, b) => b.length - a.length);

/**
 * `prefix{id}{suffix}` for one of `suffixes` (matched from the end, so the id may hold a `/`),
 * with an id of one or two non-empty segments (`name` or `namespace/name`; a `+` of a
 * subscription filter counts as a segment). Every device-keyed topic family parses this way.
 */
export function splitDeviceTopic<S extends string>(
  topic: string,
  prefix: string,
  suffixes: readonly S[],
): { deviceId: string; suffix: S } | undefined {
  if (!topic.startsWith(prefix)) return undefined;
  const rest = topic.slice(prefix.length);
  for (const suffix of suffixes) {
    if (!rest.endsWith(suffix)) continue;
    const deviceId = rest.slice(0, rest.length - suffix.length);
    const parts = deviceId.split("/");
    if (parts.some(p => p === "") || parts.length > 2) return undefined;
    return { deviceId, suffix };
  }
  return undefined;
}

export function parseDeviceTopic(topic: string): ParsedDeviceTopic | undefined {
  const split = splitDeviceTopic(topic, DEVICE_PREFIX, DEVICE_SUFFIXES);
  if (!split) return undefined;
  const [first, second] = split.deviceId.split("/");
  return second === undefined
    ? { ...split, name: first! }
    : { ...split, namespace: first, name: second };
}

export interface ParsedNodeTopic {
  nodeName: string;
  suffix: NodeTopicSuffix;
}

const NODE_SUFFIXES = Object.values(NodeTopicSuffix).sort((a, b) => b.length - a.length);

export function parseNodeTopic(topic: string): ParsedNodeTopic | undefined {
  if (!topic.startsWith(NODE_PREFIX)) return undefined;
  const rest = topic.slice(NODE_PREFIX.length);
  for (const suffix of NODE_SUFFIXES) {
    if (!rest.endsWith(suffix)) continue;
    const nodeName = rest.slice(0, rest.length - suffix.length);
    if (nodeName === "" || nodeName.includes("/")) return undefined;
    return { nodeName, suffix };
  }
  return undefined;
}

/** Runtime configuration topics of the Bluetooth mapper (seeds' manual, chapter 31). */
export enum BluetoothMapperTopicSuffix {
  WatcherCreate = "/watcher/create",
  ActionManagerCreate = "/action-manager/create",
  ActionManagerDelete = "/action-manager/delete",
  SchedulerCreate = "/scheduler/create",
  SchedulerDelete = "/scheduler/delete",
  /** Published by the mapper: one message per scheduled action (KubeEdge's ScheduleResult). */
  SchedulerResult = "/scheduler/result",
}

export function bluetoothMapperTopic(deviceId: string, suffix: BluetoothMapperTopicSuffix): string {
  return `${BLUETOOTH_MAPPER_PREFIX}${deviceId}${suffix}`;
}

/**
 * The device id on the v1alpha2 wire: the profile's `deviceInstances[].id`, every
 * `$hw/events/device/<id>/…` topic and the membership lists. KubeEdge v1.4–v1.16 (the releases
 * whose mappers read the v1alpha2 profile) use the bare Device name, and their mappers subscribe
 * `$hw/events/device/+/…` with a single-level wildcard, so a `namespace/name` id would never
 * reach them. The name is therefore unique per node: admission refuses a second Device of the
 * same name bound to the same node (docs/compatibility.md).
 */
export function wireDeviceId(device: { name: string }): string {
  return device.name;
}
