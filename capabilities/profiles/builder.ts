/**
 * Devices + DeviceModels → KubeEdge's `deviceProfile.json` (see @kubeedge-ts/contract profile.ts).
 * Pure and deterministic: the same objects always give byte-identical JSON, so the reconciler
 * can compare documents and skip writes, and golden files can pin the format.
 */
import {
  wireDeviceId,
  type DeviceProfile,
  type ProfileDeviceInstance,
  type ProfileDeviceModel,
  type ProfileProperty,
  type ProfileProtocol,
  type ProfilePropertyVisitor,
  type ProfileTwin,
  type PropertyDataType,
} from "@kubeedge-ts/contract";
import { deviceId } from "./device-id.js";
import type {
  Device,
  DeviceModel,
  DeviceModelPropertyType,
  DevicePropertyVisitor,
} from "../../crds/index.js";

/** A device that could not go into a profile, and why (surfaced as an Event). */
export interface SkippedDevice {
  id: string;
  reason: string;
}

export interface BuiltProfile {
  profile: DeviceProfile;
  skipped: SkippedDevice[];
}

const DATA_TYPES: PropertyDataType[] = ["int", "double", "float", "string", "boolean", "bytes"];

/** Spec keys of the device protocol and the names KubeEdge gives them in the profile. */
const PROTOCOL_KINDS = [
  ["modbus", "modbus"],
  ["bluetooth", "bluetooth"],
  ["opcua", "opcua"],
  ["customizedProtocol", "customized-protocol"],
] as const;

function buildProperty(p: {
  name?: string;
  description?: string;
  type?: DeviceModelPropertyType;
}): ProfileProperty {
  const dataType = DATA_TYPES.find(t => p.type?.[t] !== undefined) ?? "string";
  const t = (p.type?.[dataType] ?? {}) as Record<string, unknown>;
  return {
    name: p.name ?? "",
    dataType,
    description: p.description,
    accessMode: t.accessMode as ProfileProperty["accessMode"],
    defaultValue: t.defaultValue as ProfileProperty["defaultValue"],
    minimum: t.minimum as number | undefined,
    maximum: t.maximum as number | undefined,
    unit: t.unit as string | undefined,
  };
}

export function buildDeviceModel(model: DeviceModel): ProfileDeviceModel {
  return {
    name: model.metadata?.name ?? "",
    properties: (model.spec?.properties ?? []).map(buildProperty),
  };
}

function protocolOf(device: Device): { kind: string; config?: Record<string, unknown> } {
  const spec = device.spec?.protocol ?? {};
  for (const [key, kind] of PROTOCOL_KINDS) {
    if (spec[key] !== undefined) return { kind, config: spec[key] as Record<string, unknown> };
  }
  return { kind: "" };
}

function buildProtocol(device: Device): ProfileProtocol | undefined {
  const { kind, config } = protocolOf(device);
  if (!kind) return undefined;
  return {
    name: `${kind}-${device.metadata?.namespace}-${device.metadata?.name}`,
    protocol: kind,
    protocolConfig: config,
    protocolCommonConfig: device.spec?.protocol?.common as ProfileProtocol["protocolCommonConfig"],
  };
}

function visitorConfig(v: DevicePropertyVisitor): Record<string, unknown> {
  const config = v.modbus ?? v.bluetooth ?? v.opcua ?? v.customizedProtocol ?? {};
  return config as Record<string, unknown>;
}

function buildVisitor(device: Device, v: DevicePropertyVisitor): ProfilePropertyVisitor {
  return {
    name: v.propertyName ?? "",
    propertyName: v.propertyName ?? "",
    modelName: device.spec?.deviceModelRef?.name ?? "",
    protocol: protocolOf(device).kind,
    reportCycle: v.reportCycle,
    collectCycle: v.collectCycle,
    customizedValues: v.customizedValues as Record<string, unknown> | undefined,
    visitorConfig: visitorConfig(v),
  };
}

/**
 * Every status twin travels, as KubeEdge copies them: mappers-go polls only the twins listed
 * here and reads each one's type from `desired.metadata.type`, so a read-only property is
 * declared by a twin whose desired value is empty. Reported values stay out: they change every
 * report cycle and would rewrite the profile (and wake every mapper watching it) for nothing
 * the edge needs from the cloud.
 */
export function buildTwins(device: Device): ProfileTwin[] {
  return (device.status?.twins ?? [])
    .filter(t => t.propertyName)
    .map(t =>
      t.desired === undefined || t.desired === null
        ? { propertyName: t.propertyName! }
        : { propertyName: t.propertyName!, desired: t.desired },
    );
}

function buildInstance(
  device: Device,
  protocol: ProfileProtocol | undefined,
): ProfileDeviceInstance {
  return {
    id: wireDeviceId({ name: device.metadata?.name ?? "" }),
    name: device.metadata?.name ?? "",
    namespace: device.metadata?.namespace,
    protocol: protocol?.name ?? "",
    model: device.spec?.deviceModelRef?.name ?? "",
    twins: buildTwins(device),
    data: device.spec?.data as ProfileDeviceInstance["data"],
    propertyVisitors: (device.spec?.propertyVisitors ?? []).map(v => buildVisitor(device, v)),
  };
}

const byName = <T extends { name: string }>(a: T, b: T): number => a.name.localeCompare(b.name);

/** Builds the profile of one node in one namespace from that node's devices. */
export function buildProfile(devices: Device[], models: DeviceModel[]): BuiltProfile {
  const modelByName = new Map(models.map(m => [m.metadata?.name ?? "", m]));
  const skipped: SkippedDevice[] = [];
  const instances: ProfileDeviceInstance[] = [];
  const protocols: ProfileProtocol[] = [];
  const usedModels = new Map<string, ProfileDeviceModel>();
  const sorted = [...devices].sort((a, b) => deviceId(a).localeCompare(deviceId(b)));
  for (const device of sorted) {
    const modelName = device.spec?.deviceModelRef?.name ?? "";
    const model = modelByName.get(modelName);
    if (!model) {
      skipped.push({ id: deviceId(device), reason: `DeviceModel "${modelName}" not found` });
      continue;
    }
    if (!usedModels.has(modelName)) usedModels.set(modelName, buildDeviceModel(model));
    const protocol = buildProtocol(device);
    if (protocol) protocols.push(protocol);
    instances.push(buildInstance(device, protocol));
  }
  return {
    profile: {
      deviceInstances: instances,
      deviceModels: [...usedModels.values()].sort(byName),
      protocols: protocols.sort(byName),
      propertyVisitors: instances.flatMap(i => i.propertyVisitors ?? []),
    },
    skipped,
  };
}
