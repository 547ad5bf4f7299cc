/**
 * DeviceTwin's SQLite access: the operations of the seeds' manual 26.4 on tables `device`,
 * `device_attr` and `device_twin`. Column names in field updates are checked against a fixed
 * list (they are interpolated into SQL); values are always bound parameters.
 */
import type { Database } from "../store/database.js";
import {
  rowToAttr,
  rowToTwin,
  type DeviceAttrRow,
  type DeviceRow,
  type DeviceTwinRow,
} from "./rows.js";
import type { DeviceRecord } from "./types.js";

type Cols = Record<string, string | number | null>;

export interface DeviceUpdate {
  id: string;
  cols: Cols;
}
export interface ChildUpdate {
  deviceId: string;
  name: string;
  cols: Cols;
}
export interface ChildDelete {
  deviceId: string;
  name: string;
}

const DEVICE_COLS = new Set([
  "name",
  "namespace",
  "description",
  "state",
  "last_online",
  "model",
  "wire_id",
]);
const ATTR_COLS = new Set(["description", "value", "optional", "attr_type", "metadata"]);
const TWIN_COLS = new Set([
  "description",
  "expected",
  "actual",
  "expected_meta",
  "actual_meta",
  "expected_version",
  "actual_version",
  "optional",
  "attr_type",
  "metadata",
]);
const QUERY_COLS: Record<string, Set<string>> = {
  device: new Set(["id", "name", "namespace", "state", "model"]),
  device_attr: new Set(["id", "deviceid", "name"]),
  device_twin: new Set(["id", "deviceid", "name"]),
};

function checkCols(table: string, allowed: Set<string>, cols: Cols): string[] {
  const names = Object.keys(cols);
  if (names.length === 0) throw new Error(`no columns to update in ${table}`);
  for (const c of names) if (!allowed.has(c)) throw new Error(`${table} has no column "${c}"`);
  return names;
}

export class DeviceTwinTables {
  private readonly statements: ReturnType<typeof prepare>;

  constructor(readonly db: Database) {
    this.statements = prepare(db);
  }

  // ---- device ----
  saveDevice(row: DeviceRow): void {
    this.statements.upsertDevice.run({ ...row, wire_id: row.wire_id ?? "" });
  }

  deleteDeviceById(id: string): boolean {
    return this.statements.deleteDevice.run(id).changes > 0;
  }

  updateDeviceField(id: string, field: string, value: string | number | null): void {
    this.updateDeviceFields(id, { [field]: value });
  }

  updateDeviceFields(id: string, cols: Cols): void {
    this.update("device", DEVICE_COLS, cols, "id = ?", [id]);
  }

  queryDevice(field: string, value: string): DeviceRow[] {
    return this.query("device", field, value) as DeviceRow[];
  }

  queryDeviceAll(): DeviceRow[] {
    return this.statements.allDevices.all() as DeviceRow[];
  }

  updateDeviceMulti(updates: DeviceUpdate[]): void {
    this.db.transaction(() => {
      for (const u of updates) this.updateDeviceFields(u.id, u.cols);
    })();
  }

  /** Device, its attributes and twins in one transaction: all stored or none. */
  addDeviceTrans(devices: DeviceRow[], attrs: DeviceAttrRow[], twins: DeviceTwinRow[]): void {
    this.db.transaction(() => {
      for (const d of devices) this.saveDevice(d);
      for (const a of attrs) this.saveDeviceAttr(a);
      for (const t of twins) this.saveDeviceTwin(t);
    })();
  }

  /** Devices with their attributes and twins in one transaction. */
  deleteDeviceTrans(ids: string[]): void {
    this.db.transaction(() => {
      for (const id of ids) {
        this.statements.deleteAttrsOf.run(id);
        this.statements.deleteTwinsOf.run(id);
        this.statements.deleteDevice.run(id);
      }
    })();
  }

  // ---- device_attr ----
  saveDeviceAttr(row: DeviceAttrRow): void {
    this.statements.upsertAttr.run(row);
  }

  deleteDeviceAttrById(id: number): boolean {
    return this.statements.deleteAttrById.run(id).changes > 0;
  }

  deleteDeviceAttr(deviceId: string, name: string): boolean {
    return this.statements.deleteAttr.run(deviceId, name).changes > 0;
  }

  updateDeviceAttrField(
    deviceId: string,
    name: string,
    field: string,
    value: string | number,
  ): void {
    this.updateDeviceAttrFields(deviceId, name, { [field]: value });
  }

  updateDeviceAttrFields(deviceId: string, name: string, cols: Cols): void {
    this.update("device_attr", ATTR_COLS, cols, "deviceid = ? AND name = ?", [deviceId, name]);
  }

  queryDeviceAttr(field: string, value: string | number): DeviceAttrRow[] {
    return this.query("device_attr", field, value) as DeviceAttrRow[];
  }

  updateDeviceAttrMulti(updates: ChildUpdate[]): void {
    this.db.transaction(() => {
      for (const u of updates) this.updateDeviceAttrFields(u.deviceId, u.name, u.cols);
    })();
  }

  /** Inserts, deletes and updates attributes in one transaction. */
  deviceAttrTrans(adds: DeviceAttrRow[], deletes: ChildDelete[], updates: ChildUpdate[]): void {
    this.db.transaction(() => {
      for (const a of adds) this.saveDeviceAttr(a);
      for (const d of deletes) this.deleteDeviceAttr(d.deviceId, d.name);
      for (const u of updates) this.updateDeviceAttrFields(u.deviceId, u.name, u.cols);
    })();
  }

  // ---- device_twin ----
  saveDeviceTwin(row: DeviceTwinRow): void {
    this.statements.upsertTwin.run(row);
  }

  deleteDeviceTwinByDeviceId(deviceId: string): number {
    return this.statements.deleteTwinsOf.run(deviceId).changes;
  }

  deleteDeviceTwin(deviceId: string, name: string): boolean {
    return this.statements.deleteTwin.run(deviceId, name).changes > 0;
  }

  updateDeviceTwinField(
    deviceId: string,
    name: string,
    field: string,
    value: string | number | null,
  ): void {
    this.updateDeviceTwinFields(deviceId, name, { [field]: value });
  }

  updateDeviceTwinFields(deviceId: string, name: string, cols: Cols): void {
    this.update("device_twin", TWIN_COLS, cols, "deviceid = ? AND name = ?", [deviceId, name]);
  }

  queryDeviceTwin(field: string, value: string | number): DeviceTwinRow[] {
    return this.query("device_twin", field, value) as DeviceTwinRow[];
  }

  updateDeviceTwinMulti(updates: ChildUpdate[]): void {
    this.db.transaction(() => {
      for (const u of updates) this.updateDeviceTwinFields(u.deviceId, u.name, u.cols);
    })();
  }

  /** Inserts (or replaces), deletes and updates twins in one transaction. */
  deviceTwinTrans(
    adds: DeviceTwinRow[],
    deletes: ChildDelete[],
    updates: ChildUpdate[] = [],
  ): void {
    this.db.transaction(() => {
      for (const t of adds) this.saveDeviceTwin(t);
      for (const d of deletes) this.deleteDeviceTwin(d.deviceId, d.name);
      for (const u of updates) this.updateDeviceTwinFields(u.deviceId, u.name, u.cols);
    })();
  }

  /** Every device combined with its attributes and twins (the controller's start-up sync). */
  loadAll(): DeviceRecord[] {
    const attrs = groupBy(this.statements.allAttrs.all() as DeviceAttrRow[]);
    const twins = groupBy(this.statements.allTwins.all() as DeviceTwinRow[]);
    return this.queryDeviceAll().map(d => ({
      id: d.id,
      namespace: d.namespace,
      name: d.name,
      wireId: d.wire_id || d.name,
      description: d.description,
      state: d.state,
      lastOnline: d.last_online,
      model: d.model,
      attributes: Object.fromEntries((attrs.get(d.id) ?? []).map(a => [a.name, rowToAttr(a)])),
      twins: Object.fromEntries((twins.get(d.id) ?? []).map(t => [t.name, rowToTwin(t)])),
    }));
  }

  private update(
    table: string,
    allowed: Set<string>,
    cols: Cols,
    where: string,
    args: unknown[],
  ): void {
    const names = checkCols(table, allowed, cols);
    const sql = `UPDATE ${table} SET ${names.map(c => `${c} = ?`).join(", ")} WHERE ${where}`;
    this.db.prepare(sql).run(...names.map(c => cols[c]), ...args);
  }

  private query(table: string, field: string, value: string | number): unknown[] {
    if (!QUERY_COLS[table]?.has(field)) throw new Error(`cannot query ${table} by "${field}"`);
    return this.db.prepare(`SELECT * FROM ${table} WHERE ${field} = ? ORDER BY id`).all(value);
  }
}

function groupBy<T extends { deviceid: string }>(rows: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.deviceid);
    if (list) list.push(r);
    else out.set(r.deviceid, [r]);
  }
  return out;
}

function prepare(db: Database) {
  return {
    upsertDevice: db.prepare(
      `INSERT INTO device (id, name, namespace, description, state, last_online, model, wire_id)
       VALUES (@id, @name, @namespace, @description, @state, @last_online, @model, @wire_id)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, namespace = excluded.namespace,
         description = excluded.description, state = excluded.state,
         last_online = excluded.last_online, model = excluded.model, wire_id = excluded.wire_id`,
    ),
    deleteDevice: db.prepare("DELETE FROM device WHERE id = ?"),
    allDevices: db.prepare("SELECT * FROM device ORDER BY id"),
    upsertAttr: db.prepare(
      `INSERT INTO device_attr (deviceid, name, description, value, optional, attr_type, metadata)
       VALUES (@deviceid, @name, @description, @value, @optional, @attr_type, @metadata)
       ON CONFLICT (deviceid, name) DO UPDATE SET description = excluded.description,
         value = excluded.value, optional = excluded.optional, attr_type = excluded.attr_type,
         metadata = excluded.metadata`,
    ),
    deleteAttrById: db.prepare("DELETE FROM device_attr WHERE id = ?"),
    deleteAttr: db.prepare("DELETE FROM device_attr WHERE deviceid = ? AND name = ?"),
    deleteAttrsOf: db.prepare("DELETE FROM device_attr WHERE deviceid = ?"),
    allAttrs: db.prepare("SELECT * FROM device_attr ORDER BY deviceid, name"),
    upsertTwin: db.prepare(
      `INSERT INTO device_twin (deviceid, name, description, expected, actual, expected_meta,
         actual_meta, expected_version, actual_version, optional, attr_type, metadata)
       VALUES (@deviceid, @name, @description, @expected, @actual, @expected_meta, @actual_meta,
         @expected_version, @actual_version, @optional, @attr_type, @metadata)
       ON CONFLICT (deviceid, name) DO UPDATE SET description = excluded.description,
         expected = excluded.expected, actual = excluded.actual,
         expected_meta = excluded.expected_meta, actual_meta = excluded.actual_meta,
         expected_version = excluded.expected_version, actual_version = excluded.actual_version,
         optional = excluded.optional, attr_type = excluded.attr_type, metadata = excluded.metadata`,
    ),
    deleteTwin: db.prepare("DELETE FROM device_twin WHERE deviceid = ? AND name = ?"),
    deleteTwinsOf: db.prepare("DELETE FROM device_twin WHERE deviceid = ?"),
    allTwins: db.prepare("SELECT * FROM device_twin ORDER BY deviceid, name"),
  };
}
