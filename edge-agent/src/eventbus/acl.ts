/**
 * Who may publish and subscribe what on the embedded broker, pure. Two kinds of identity: the
 * node's mappers (also anonymous clients, when allowed) and edge applications declared in the
 * config. Replies, deltas, documents, cloud notices and membership lists come only from the
 * agent, which publishes in-process: no client may publish them, so no local process can
 * steer a device by faking a delta or speak for the cloud.
 */
import {
  BLUETOOTH_MAPPER_PREFIX,
  BluetoothMapperTopicSuffix as Bt,
  DATA_PREFIX,
  DATA_UPDATE_SUFFIX,
  DEVICE_PREFIX,
  DeviceTopicSuffix as Dev,
  NODE_PREFIX,
  NodeTopicSuffix as Node,
  UPLOAD_PREFIX,
  UPLOAD_RECORDS_TOPIC,
  splitDeviceTopic,
} from "@kubeedge-ts/contract";

export type Identity =
  | { role: "mapper"; name: string }
  | { role: "application"; name: string; writes: ReadonlySet<string> };

/** A device of this node as topics name it: its wire id, and its `namespace/name` id. */
export interface MemberDevice {
  wireId: string;
  id: string;
}

export interface AclContext {
  nodeName: string;
  /** The member device a topic's device id names, or undefined (not on this node). */
  member(deviceId: string): MemberDevice | undefined;
}

export const MAPPER_IDENTITY: Identity = { role: "mapper", name: "mapper" };
export const ANONYMOUS_IDENTITY: Identity = { role: "mapper", name: "anonymous" };

const MAPPER_PUBLISH: readonly Dev[] = [Dev.TwinUpdate, Dev.TwinGet, Dev.StateUpdate];
/** What the agent answers and announces about a device: readable by every identity. */
const AGENT_REPLIES: readonly Dev[] = [
  Dev.TwinUpdateResult,
  Dev.TwinUpdateDelta,
  Dev.TwinUpdateDocument,
  Dev.TwinGetResult,
  Dev.TwinCloudUpdated,
  Dev.StateUpdateResult,
  Dev.AttributesUpdated,
];
/** Applications also read what mappers report. */
const APP_READS: readonly Dev[] = [...AGENT_REPLIES, Dev.TwinUpdate, Dev.StateUpdate];
const NODE_READS: readonly Node[] = [
  Node.MembershipGetResult,
  Node.MembershipUpdated,
  Node.MembershipDetail,
];
/** The Bluetooth mapper's runtime configuration requests: writes to a device. */
const BT_REQUESTS: readonly string[] = Object.values(Bt).filter(s => s !== Bt.SchedulerResult);

const DEVICE_SUFFIXES = Object.values(Dev).sort((a, b) => b.length - a.length);
const NODE_SUFFIXES = Object.values(Node).sort((a, b) => b.length - a.length);
const BT_SUFFIXES = Object.values(Bt).sort((a, b) => b.length - a.length);

/** `prefix{device}{suffix}`; the device is `+` in a subscription filter. */
function split(topic: string, prefix: string, suffixes: readonly string[]) {
  const parsed = splitDeviceTopic(topic, prefix, suffixes);
  return parsed && { device: parsed.deviceId, suffix: parsed.suffix };
}

/** A filter's device part: a wildcard matches only this node's devices (one broker per node). */
function deviceAllowed(device: string, ctx: AclContext): boolean {
  return device.split("/").includes("+") || ctx.member(device) !== undefined;
}

function granted(identity: Identity, device: string, ctx: AclContext): boolean {
  if (identity.role !== "application") return false;
  const m = ctx.member(device);
  return !!m && (identity.writes.has(m.wireId) || identity.writes.has(m.id));
}

/** Undefined when allowed, else why not (for logs and the refusal metric). */
export function checkPublish(
  identity: Identity,
  topic: string,
  ctx: AclContext,
): string | undefined {
  if (topic.includes("+") || topic.includes("#")) return "wildcard in a topic";
  const dev = split(topic, DEVICE_PREFIX, DEVICE_SUFFIXES);
  if (dev) {
    if (!ctx.member(dev.device)) return `device ${dev.device} is not a member of this node`;
    if (identity.role === "mapper" && MAPPER_PUBLISH.includes(dev.suffix as Dev)) return undefined;
    if (identity.role === "application" && dev.suffix === Dev.TwinGet) return undefined;
    if (dev.suffix === Dev.TwinUpdate && granted(identity, dev.device, ctx)) return undefined;
    return `${identity.role} ${identity.name} may not publish ${dev.suffix} of ${dev.device}`;
  }
  const node = split(topic, NODE_PREFIX, NODE_SUFFIXES);
  if (node) {
    if (node.device === ctx.nodeName && node.suffix === Node.MembershipGet) return undefined;
    return `only ${NODE_PREFIX}${ctx.nodeName}${Node.MembershipGet} may be published`;
  }
  if (topic.startsWith(UPLOAD_PREFIX) || topic === UPLOAD_RECORDS_TOPIC) {
    return identity.role === "mapper" ? undefined : "uploads come from mappers";
  }
  const data = split(topic, DATA_PREFIX, [DATA_UPDATE_SUFFIX]);
  if (data) {
    if (identity.role === "mapper" && ctx.member(data.device)) return undefined;
    return `only a mapper may publish data of a member device`;
  }
  const bt = split(topic, BLUETOOTH_MAPPER_PREFIX, BT_SUFFIXES);
  if (bt && ctx.member(bt.device)) {
    if (identity.role === "mapper" && bt.suffix === Bt.SchedulerResult) return undefined;
    if (BT_REQUESTS.includes(bt.suffix) && granted(identity, bt.device, ctx)) return undefined;
  }
  return `${identity.role} ${identity.name} may not publish ${topic}`;
}

/** Undefined when allowed, else why not. */
export function checkSubscribe(
  identity: Identity,
  filter: string,
  ctx: AclContext,
): string | undefined {
  if (filter.includes("#")) return "# is not allowed";
  const app = identity.role === "application";
  const dev = split(filter, DEVICE_PREFIX, DEVICE_SUFFIXES);
  if (dev && deviceAllowed(dev.device, ctx)) {
    const reads = app ? APP_READS : AGENT_REPLIES;
    if (reads.includes(dev.suffix as Dev)) return undefined;
  }
  const node = split(filter, NODE_PREFIX, NODE_SUFFIXES);
  if (node && (node.device === ctx.nodeName || node.device === "+")) {
    if (NODE_READS.includes(node.suffix as Node)) return undefined;
  }
  const data = split(filter, DATA_PREFIX, [DATA_UPDATE_SUFFIX]);
  if (data && app && deviceAllowed(data.device, ctx)) return undefined;
  const bt = split(filter, BLUETOOTH_MAPPER_PREFIX, BT_SUFFIXES);
  if (bt && deviceAllowed(bt.device, ctx)) {
    if (!app && BT_REQUESTS.includes(bt.suffix)) return undefined;
    if (app && bt.suffix === Bt.SchedulerResult) return undefined;
  }
  return `${identity.role} ${identity.name} may not subscribe to ${filter}`;
}

/** Whether a `twin/update` from this identity may set desired values of the topic's device. */
export function maySetDesired(
  identity: Identity | undefined,
  device: string,
  ctx: AclContext,
): boolean {
  return identity !== undefined && granted(identity, device, ctx);
}
