/**
 * DeviceTwin's context (KubeEdge's DTContext): every device of the node in memory, written
 * through to SQLite, with the lookup that turns a topic's device id into a device.
 */
import type { ParsedDeviceTopic } from "@kubeedge-ts/contract";
import { badRequest, notFound, ok, type Outcome } from "./result.js";
import { attrToRow, twinToRow } from "./rows.js";
import type { DeviceTwinStore } from "./store.js";
import type { DesiredDevice, DeviceRecord } from "./types.js";

export class TwinState {
  private readonly devices = new Map<string, DeviceRecord>();
  /** Bare name → ids: KubeEdge <= 1.16 mappers name a device without its namespace. */
  private readonly byName = new Map<string, Set<string>>();
  /** What the cloud declares per device (model types, report cycle), from the profile. */
  readonly declared = new Map<string, DesiredDevice>();

  constructor(readonly store: DeviceTwinStore) {}

  /** Restores every device from SQLite (start-up, also while the cloud is unreachable). */
  load(): number {
    this.devices.clear();
    this.byName.clear();
    for (const d of this.store.loadAll()) this.index(d);
    return this.devices.size;
  }

  get(id: string): DeviceRecord | undefined {
    return this.devices.get(id);
  }

  ids(): string[] {
    return [...this.devices.keys()].sort();
  }

  list(): DeviceRecord[] {
    return this.ids().map(id => this.devices.get(id)!);
  }

  get size(): number {
    return this.devices.size;
  }

  /** The device a topic names, in either id form. */
  resolve(topic: ParsedDeviceTopic): Outcome<DeviceRecord> {
    if (topic.namespace !== undefined) {
      const d = this.devices.get(topic.deviceId);
      return d ? ok(d) : notFound(`device ${topic.deviceId} is not a member of this node`);
    }
    const ids = this.byName.get(topic.name);
    if (!ids || ids.size === 0)
      return notFound(`device ${topic.name} is not a member of this node`);
    if (ids.size > 1) {
      return badRequest(`device name ${topic.name} is ambiguous on this node; use namespace/name`);
    }
    return ok(this.devices.get([...ids][0]!)!);
  }

  /** Adds devices with their attributes and twins: one transaction, then memory. */
  add(records: DeviceRecord[]): void {
    this.store.addDeviceTrans(
      records.map(r => ({
        id: r.id,
        name: r.name,
        namespace: r.namespace,
        description: r.description,
        state: r.state,
        last_online: r.lastOnline,
        model: r.model,
      })),
      records.flatMap(r => Object.entries(r.attributes).map(([k, a]) => attrToRow(r.id, k, a))),
      records.flatMap(r => Object.entries(r.twins).map(([k, t]) => twinToRow(r.id, k, t))),
    );
    for (const r of records) this.index(r);
  }

  remove(ids: string[]): DeviceRecord[] {
    this.store.deleteDeviceTrans(ids);
    const removed: DeviceRecord[] = [];
    for (const id of ids) {
      const d = this.devices.get(id);
      if (!d) continue;
      removed.push(d);
      this.devices.delete(id);
      this.byName.get(d.name)?.delete(id);
      this.declared.delete(id);
    }
    return removed;
  }

  /** Stores twin changes of one device, then applies them in memory. Throws on SQL errors. */
  saveTwins(
    device: DeviceRecord,
    next: DeviceRecord["twins"],
    upserts: string[],
    deletes: string[],
  ): void {
    this.store.deviceTwinTrans(
      upserts.map(k => twinToRow(device.id, k, next[k]!)),
      deletes.map(name => ({ deviceId: device.id, name })),
    );
    device.twins = next;
  }

  saveState(device: DeviceRecord, state: string, lastOnline: string): void {
    this.store.updateDeviceFields(device.id, { state, last_online: lastOnline });
    device.state = state;
    device.lastOnline = lastOnline;
  }

  private index(d: DeviceRecord): void {
    this.devices.set(d.id, d);
    let ids = this.byName.get(d.name);
    if (!ids) this.byName.set(d.name, (ids = new Set()));
    ids.add(d.id);
  }
}
