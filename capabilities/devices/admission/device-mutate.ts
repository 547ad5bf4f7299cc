/**
 * What the mutating webhook does to a user's Device write: KubeEdge's defaults, the labels the
 * edge side and `kubectl get devices` select on, and the device-owned status fields carried over
 * from the stored object. The last part matters because client-side `kubectl apply` sends the
 * whole `status.twins` list from the user's file, which never holds the reported values.
 */
import {
  DEVICE_MODEL_LABEL,
  DEVICE_NODE_LABEL,
  DEVICE_PROTOCOL_LABEL,
} from "@kubeedge-ts/contract";
import type { Device, DeviceModel } from "../../../crds/index.js";
import { mergeReported } from "../../shared/reported-twins.js";
import { resolveType } from "./model-types.js";
import { resolveNode } from "../../shared/node-binding.js";
import { protocolName } from "./visitor-rules.js";

/**
 * Report and collect cycles are not defaulted here: KubeEdge omits them from the profile when
 * the Device leaves them unset, and the agent and the mappers apply their default where they
 * use a cycle. Only the Modbus scale gets one (a missing scale must not read as 0).
 */
export const DEFAULT_MODBUS_SCALE = 1;

function withLabels(device: Device): void {
  const labels: Record<string, string> = { ...(device.metadata?.labels ?? {}) };
  const binding = resolveNode(device);
  if ("node" in binding) labels[DEVICE_NODE_LABEL] = binding.node;
  const model = device.spec?.deviceModelRef?.name;
  if (model) labels[DEVICE_MODEL_LABEL] = model;
  const protocol = protocolName(device);
  if (protocol) labels[DEVICE_PROTOCOL_LABEL] = protocol;
  device.metadata = { ...(device.metadata ?? {}), labels };
}

function withVisitorDefaults(device: Device): void {
  for (const v of device.spec?.propertyVisitors ?? []) {
    if (v.modbus) v.modbus.scale ??= DEFAULT_MODBUS_SCALE;
  }
}

function withTwinTypes(device: Device, model: DeviceModel | undefined): void {
  const kinds = new Map(
    (model?.spec?.properties ?? []).map(p => [p.name, resolveType(p)?.kind] as const),
  );
  for (const twin of device.status?.twins ?? []) {
    const kind = kinds.get(twin.propertyName ?? "");
    if (!kind) continue;
    for (const value of [twin.desired, twin.reported]) {
      if (value) value.metadata = { type: kind, ...(value.metadata ?? {}) };
    }
  }
}

/**
 * The stored reported value of each property wins over what a user's write carries (the
 * device is the only source of reported values); stored state and last-online time stay unless
 * the write sets them explicitly (the cloud marks devices `unknown` that way).
 */
export function keepDeviceOwnedStatus(device: Device, stored: Device | undefined): void {
  const old = stored?.status;
  if (!old) return;
  const status = { ...(device.status ?? {}) };
  const twins = mergeReported(status.twins ?? [], old.twins ?? []);
  if (twins.length > 0) status.twins = twins;
  status.state ??= old.state;
  status.lastOnlineTime ??= old.lastOnlineTime;
  device.status = dropUndefined(status);
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** The Device as it should be stored after a user's create or update. Does not change `device`. */
export function mutateDevice(
  device: Device,
  model: DeviceModel | undefined,
  stored?: Device,
): Device {
  const out = structuredClone(device);
  withLabels(out);
  withVisitorDefaults(out);
  keepDeviceOwnedStatus(out, stored);
  withTwinTypes(out, model);
  return out;
}
