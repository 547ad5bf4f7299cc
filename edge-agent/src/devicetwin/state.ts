/**
 * DeviceTwin's context (KubeEdge's DTContext): every device of the node in memory, written
 * through to SQLite, with the lookup that turns a topic's device id into a device.
 */
import { deviceTopic, type MsgTwin, type ParsedDeviceTopic } from "@kubeedge-ts/contract";
import { badRequest, notFound, ok, type Outcome } from "./result.js";
import { attrToRow, twinToRow } from "./rows.js";
import type { DeviceTwinTables } from "./tables.js";
import type { DesiredDevice, DeviceRecord } from "./types.js";

type TwinRef = { deviceId: string; name: string; twin: MsgTwin | null };

export class TwinState {
  private readonly devices = new Map<string, DeviceRecord>();
  /**
   * Group commit: while batching, twin and state writes wait here (last write per twin wins)
   * and `flush()` stores them in one transaction. The module flushes before it publishes any
   * reply of the batch, so a mapper never sees an answer for something not yet stored.
   */
  private batching = false;
  private readonly pendingTwins = new Map<string, TwinRef>();
  private readonly pendingStates = new Map<string, { state: string; lastOnline: string }>();
  /** Wire id → ids: one id, unless two namespaces' devices of one name share a node. */
  private readonly byWire = new Map<string, Set<string>>();
  /** Bare name → ids, to tell a client that used the other id form which one to use. */
  private readonly byName = new Map<string, Set<string>>();
  /** What the cloud declares per device (model types, report cycle), from the profile. */
  readonly declared = new Map<string, DesiredDevice>();

  constructor(readonly tables: DeviceTwinTables) {}

  /** Restores every device from SQLite (start-up, also while the cloud is unreachable). */
  load(): number {
    this.devices.clear();
    this.byWire.clear();
    this.byName.clear();
    for (const d of this.tables.loadAll()) this.index(d);
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

  /**
   * The device a topic names by its wire id. A known device named in its other id form
   * (`namespace/name` for a device whose wire id is its name, or the reverse) is refused with
   * the topic to use: answering there would split one device's traffic over two topics.
   */
  resolve(topic: ParsedDeviceTopic): Outcome<DeviceRecord> {
    const ids = this.byWire.get(topic.deviceId);
    if (ids && ids.size === 1) return ok(this.devices.get([...ids][0]!)!);
    if (ids && ids.size > 1) {
      const which = [...ids].sort().join(" and ");
      return badRequest(
        `device id ${topic.deviceId} is ambiguous on this node (${which}); give one of them another name`,
      );
    }
    const other =
      topic.namespace !== undefined
        ? this.devices.get(topic.deviceId)
        : [...(this.byName.get(topic.name) ?? [])].map(id => this.devices.get(id)!)[0];
    if (other) {
      const use = deviceTopic(other.wireId, topic.suffix);
      return badRequest(`device ${topic.deviceId} goes by id ${other.wireId} here: use ${use}`);
    }
    return notFound(`device ${topic.deviceId} is not a member of this node`);
  }

  /** Moves a device to another wire id (a profile that names it differently). */
  rekey(device: DeviceRecord, wireId: string): void {
    this.byWire.get(device.wireId)?.delete(device.id);
    device.wireId = wireId;
    this.index(device);
  }

  /** Adds devices with their attributes and twins: one transaction, then memory. */
  add(records: DeviceRecord[]): void {
    this.flush();
    this.tables.addDeviceTrans(
      records.map(r => ({
        id: r.id,
        name: r.name,
        namespace: r.namespace,
        wire_id: r.wireId,
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
    this.flush();
    this.tables.deleteDeviceTrans(ids);
    const removed: DeviceRecord[] = [];
    for (const id of ids) {
      const d = this.devices.get(id);
      if (!d) continue;
      removed.push(d);
      this.devices.delete(id);
      this.byWire.get(d.wireId)?.delete(id);
      this.byName.get(d.name)?.delete(id);
      this.declared.delete(id);
    }
    return removed;
  }

  /** Turns group commit on or off (off: every save is its own transaction). */
  setBatching(on: boolean): void {
    if (!on) this.flush();
    this.batching = on;
  }

  get pendingWrites(): number {
    return this.pendingTwins.size + this.pendingStates.size;
  }

  /** Stores twin changes of one device, then applies them in memory. Throws on SQL errors. */
  saveTwins(
    device: DeviceRecord,
    next: DeviceRecord["twins"],
    upserts: string[],
    deletes: string[],
  ): void {
    if (this.batching) {
      for (const name of upserts) {
        this.pendingTwins.set(`${device.id}\u0000${name}`, {
          deviceId: device.id,
          name,
          twin: next[name]!,
        });
      }
      for (const name of deletes) {
        this.pendingTwins.set(`${device.id}\u0000${name}`, {
          deviceId: device.id,
          name,
          twin: null,
        });
      }
    } else {
      this.tables.deviceTwinTrans(
        upserts.map(k => twinToRow(device.id, k, next[k]!)),
        deletes.map(name => ({ deviceId: device.id, name })),
      );
    }
    device.twins = next;
  }

  saveState(device: DeviceRecord, state: string, lastOnline: string): void {
    if (this.batching) this.pendingStates.set(device.id, { state, lastOnline });
    else this.tables.updateDeviceFields(device.id, { state, last_online: lastOnline });
    device.state = state;
    device.lastOnline = lastOnline;
  }

  /**
   * Stores the batched writes in one transaction. On failure memory is reloaded from SQLite
   * (KubeEdge's SyncDeviceFromSqlite) so the two never disagree, and the error is thrown.
   */
  flush(): void {
    if (this.pendingTwins.size === 0 && this.pendingStates.size === 0) return;
    const twins = [...this.pendingTwins.values()];
    const states = [...this.pendingStates.entries()];
    this.pendingTwins.clear();
    this.pendingStates.clear();
    try {
      this.tables.db.transaction(() => {
        this.tables.deviceTwinTrans(
          twins.filter(t => t.twin).map(t => twinToRow(t.deviceId, t.name, t.twin!)),
          twins.filter(t => !t.twin).map(t => ({ deviceId: t.deviceId, name: t.name })),
        );
        for (const [id, s] of states) {
          this.tables.updateDeviceFields(id, { state: s.state, last_online: s.lastOnline });
        }
      })();
    } catch (error) {
      this.load();
      throw new Error("storing twin changes failed; reloaded from the database", { cause: error });
    }
  }

  private index(d: DeviceRecord): void {
    this.devices.set(d.id, d);
    addTo(this.byWire, d.wireId, d.id);
    addTo(this.byName, d.name, d.id);
  }
}

function addTo(index: Map<string, Set<string>>, key: string, id: string): void {
  let ids = index.get(key);
  if (!ids) index.set(key, (ids = new Set()));
  ids.add(id);
}
