/**
 * Device profiles → what DeviceTwin should hold. Pure. The cloud delivers devices, models and
 * desired values to the node inside `device-profile-config-<node>` ConfigMaps (one per device
 * namespace); this is KubeEdge's membership detail, read from a file instead of a websocket.
 */
import {
  canonicalTwinValue,
  deviceVisitors,
  parseDeviceProfile,
  PROFILE_CONFIGMAP_KEY,
  visitorCycles,
  type DeviceProfile,
  type MsgAttr,
  type ProfileDeviceInstance,
  type ProfileDeviceModel,
  type ProfileProperty,
  type ProfileProtocol,
} from "@kubeedge-ts/contract";
import type { DesiredDevice } from "./types.js";

export interface ProfileSource {
  namespace: string;
  /** The ConfigMap's resourceVersion: etcd revisions only grow, so it versions desired values. */
  resourceVersion: string;
  profile: DeviceProfile;
}

interface ConfigMapLike {
  metadata: { namespace?: string; resourceVersion?: string; name: string };
  data?: Record<string, string>;
}

/** Reads the profile out of a ConfigMap (the contract's one profile reader); throws why not. */
export function profileFromConfigMap(cm: ConfigMapLike): ProfileSource {
  const raw = cm.data?.[PROFILE_CONFIGMAP_KEY];
  const where = `configmap ${cm.metadata.namespace ?? ""}/${cm.metadata.name}`;
  if (raw === undefined) throw new Error(`${where} has no key ${PROFILE_CONFIGMAP_KEY}`);
  const parsed = parseDeviceProfile(raw);
  if (!parsed.ok) throw new Error(`${where}: ${PROFILE_CONFIGMAP_KEY} ${parsed.reason}`);
  return {
    namespace: cm.metadata.namespace ?? "default",
    resourceVersion: cm.metadata.resourceVersion ?? "0",
    profile: parsed.value,
  };
}

/** The cloud version of a source: its resourceVersion as a number (0 when not numeric). */
export function cloudVersion(source: ProfileSource): number {
  const n = Number(source.resourceVersion);
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

/** Shortest report cycle of the device's visitors (absent cycles take KubeEdge's default). */
function reportCycleMs(inst: ProfileDeviceInstance, profile: DeviceProfile): number | undefined {
  const cycles = deviceVisitors(profile, inst).map(v => visitorCycles(v).reportCycleMs);
  return cycles.length > 0 ? Math.min(...cycles) : undefined;
}

/**
 * Desired values travel in the canonical form of the twin value rules ("True" → "true"), so a
 * mapper's reported value, always canonical, closes the delta. A value the rules refuse stays
 * as written: applying it fails visibly instead of silently becoming something else.
 */
function canonicalDesired(dataType: ProfileProperty["dataType"], text: string): string {
  if (text === "") return text;
  const canonical = canonicalTwinValue(dataType, text);
  return canonical.ok ? canonical.value : text;
}

/** The model's declared twin types and the desired values the Device sets for them. */
function declaredTwins(
  inst: ProfileDeviceInstance,
  model: ProfileDeviceModel | undefined,
): Pick<DesiredDevice, "declaredTypes" | "desired"> {
  const declaredTypes: Record<string, string> = {};
  const desired: Record<string, string> = {};
  for (const p of model?.properties ?? []) {
    declaredTypes[p.name] = p.dataType;
    const text = inst.twins?.find(t => t.propertyName === p.name)?.desired?.value;
    if (text !== undefined) desired[p.name] = canonicalDesired(p.dataType, text);
  }
  return { declaredTypes, desired };
}

function deviceAttributes(
  inst: ProfileDeviceInstance,
  protocol: ProfileProtocol | undefined,
): Record<string, MsgAttr> {
  const attribute = (value: string): MsgAttr => ({
    value,
    optional: false,
    metadata: { type: "string" },
  });
  const attributes: Record<string, MsgAttr> = { model: attribute(inst.model) };
  if (protocol) attributes.protocol = attribute(protocol.protocol);
  return attributes;
}

function desiredDevice(inst: ProfileDeviceInstance, source: ProfileSource): DesiredDevice {
  const { profile } = source;
  const namespace = inst.namespace ?? source.namespace;
  const model = profile.deviceModels.find(m => m.name === inst.model);
  const out: DesiredDevice = {
    id: `${namespace}/${inst.name}`,
    namespace,
    name: inst.name,
    wireId: inst.id === `${namespace}/${inst.name}` ? inst.id : inst.name,
    description: model?.description ?? "",
    model: inst.model,
    attributes: deviceAttributes(
      inst,
      profile.protocols.find(p => p.name === inst.protocol),
    ),
    ...declaredTwins(inst, model),
  };
  const cycle = reportCycleMs(inst, profile);
  if (cycle !== undefined) out.reportCycleMs = cycle;
  return out;
}

/**
 * Every device of every profile, keyed by `namespace/name`. A device listed twice (two
 * ConfigMaps during a move) is taken from the newer ConfigMap.
 */
export function desiredDevices(
  sources: ProfileSource[],
): Map<string, { device: DesiredDevice; version: number }> {
  const out = new Map<string, { device: DesiredDevice; version: number }>();
  for (const source of sources) {
    const version = cloudVersion(source);
    for (const inst of source.profile.deviceInstances) {
      if (typeof inst?.name !== "string" || inst.name === "") continue;
      const device = desiredDevice(inst, source);
      const held = out.get(device.id);
      if (!held || held.version <= version) out.set(device.id, { device, version });
    }
  }
  return out;
}

export interface MembershipPlan {
  added: string[];
  removed: string[];
  kept: string[];
}

/** Which devices join, leave or stay (KubeEdge's dealMembershipDetail). */
export function planMembership(held: Iterable<string>, desired: Iterable<string>): MembershipPlan {
  const want = new Set(desired);
  const have = new Set(held);
  return {
    added: [...want].filter(id => !have.has(id)).sort(),
    removed: [...have].filter(id => !want.has(id)).sort(),
    kept: [...want].filter(id => have.has(id)).sort(),
  };
}

/** Attributes that differ: new or changed values, and `null` for removed ones. */
export function diffAttributes(
  held: Record<string, MsgAttr>,
  want: Record<string, MsgAttr>,
): Record<string, MsgAttr | null> {
  const out: Record<string, MsgAttr | null> = {};
  for (const [k, v] of Object.entries(want)) {
    const h = held[k];
    if (!h || h.value !== v.value || h.metadata?.type !== v.metadata?.type) out[k] = v;
  }
  for (const k of Object.keys(held)) if (!(k in want)) out[k] = null;
  return out;
}
