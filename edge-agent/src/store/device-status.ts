import { OutboxKind, type Outbox } from "./outbox.js";

/** One reported twin as the Device status merge patch carries it (docs/design-notes.md). */
export interface ReportedTwin {
  propertyName: string;
  reported: { value: string; metadata?: { timestamp?: string; type?: string } };
}

/** Fields of `Device.status` a node may write. */
export interface DeviceStatusPatch {
  twins?: ReportedTwin[];
  state?: string;
  /** RFC3339. */
  lastOnlineTime?: string;
}

/** Outbox payload of `OutboxKind.DeviceStatus`. */
export interface DeviceStatusReport {
  namespace: string;
  name: string;
  status: DeviceStatusPatch;
}

/**
 * Queues a reported-status patch for Device `namespace/name`. Reports for the same device
 * waiting in the outbox merge (newest value per property wins), so a chatty mapper costs one
 * apiserver write per drain, not one per reading.
 */
export function enqueueDeviceStatus(outbox: Outbox, report: DeviceStatusReport): number {
  return outbox.enqueue(OutboxKind.DeviceStatus, `${report.namespace}/${report.name}`, report);
}

/** The coalescer of `OutboxKind.DeviceStatus`. */
export function mergeDeviceStatus(pending: unknown, next: unknown): DeviceStatusReport {
  const a = pending as DeviceStatusReport;
  const b = next as DeviceStatusReport;
  const twins = new Map<string, ReportedTwin>();
  for (const t of a.status.twins ?? []) twins.set(t.propertyName, t);
  for (const t of b.status.twins ?? []) twins.set(t.propertyName, t);
  const status: DeviceStatusPatch = { ...a.status, ...b.status };
  if (twins.size > 0) status.twins = [...twins.values()];
  return { namespace: b.namespace, name: b.name, status };
}

/** The JSON merge patch body sent to `/apis/devices.kubeedge.io/v1alpha2/.../devices/<name>`. */
export function deviceStatusPatchBody(report: DeviceStatusReport): { status: DeviceStatusPatch } {
  return { status: report.status };
}

export const DEFAULT_COALESCERS = { [OutboxKind.DeviceStatus]: mergeDeviceStatus };
