import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../store/database.js";
import { DEVICETWIN_MIGRATIONS } from "./migrations.js";
import { attrToRow, twinToRow } from "./rows.js";
import { DeviceTwinTables } from "./tables.js";

const dirs: string[] = [];
function tables(): DeviceTwinTables {
  const dir = mkdtempSync(join(tmpdir(), "twin-tables-"));
  dirs.push(dir);
  return new DeviceTwinTables(
    openDatabase(join(dir, "edge.db"), { migrations: DEVICETWIN_MIGRATIONS }),
  );
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const dev = (id: string) => {
  const [namespace, name] = id.split("/") as [string, string];
  return { id, name, namespace, description: "", state: "", last_online: "", model: "m" };
};
const twin = (id: string, name: string, actual: string) =>
  twinToRow(id, name, {
    actual: { value: actual, metadata: { timestamp: 1 } },
    optional: false,
    metadata: { type: "int" },
    actual_version: { cloud: 0, edge: 1 },
  });

describe("DeviceTwinTables (manual 26.4)", () => {
  it("adds a device with attributes and twins in one transaction and reads them back", () => {
    const s = tables();
    s.addDeviceTrans(
      [dev("ns/a")],
      [attrToRow("ns/a", "model", { value: "m" })],
      [twin("ns/a", "t", "1")],
    );
    expect(s.loadAll()).toEqual([
      {
        id: "ns/a",
        namespace: "ns",
        name: "a",
        wireId: "a",
        description: "",
        state: "",
        lastOnline: "",
        model: "m",
        attributes: { model: { value: "m", optional: true, metadata: { type: "string" } } },
        twins: {
          t: {
            actual: { value: "1", metadata: { timestamp: 1 } },
            optional: false,
            metadata: { type: "int" },
            actual_version: { cloud: 0, edge: 1 },
          },
        },
      },
    ]);
  });

  it("rolls back the whole add when one row fails", () => {
    const s = tables();
    const broken = { ...twin("ns/missing", "t", "1") };
    expect(() => s.addDeviceTrans([dev("ns/a")], [], [broken])).toThrow();
    expect(s.queryDeviceAll()).toEqual([]);
  });

  it("deletes devices with their attributes and twins", () => {
    const s = tables();
    s.addDeviceTrans(
      [dev("ns/a"), dev("ns/b")],
      [attrToRow("ns/a", "x", { value: "1" })],
      [twin("ns/a", "t", "1"), twin("ns/b", "t", "2")],
    );
    s.deleteDeviceTrans(["ns/a"]);
    expect(s.queryDeviceAll().map(d => d.id)).toEqual(["ns/b"]);
    expect(s.queryDeviceAttr("deviceid", "ns/a")).toEqual([]);
    expect(s.queryDeviceTwin("deviceid", "ns/a")).toEqual([]);
    expect(s.queryDeviceTwin("deviceid", "ns/b")).toHaveLength(1);
  });

  it("updates fields, one or many, of devices, attributes and twins", () => {
    const s = tables();
    s.addDeviceTrans(
      [dev("ns/a"), dev("ns/b")],
      [attrToRow("ns/a", "x", { value: "1" })],
      [twin("ns/a", "t", "1")],
    );
    s.updateDeviceField("ns/a", "state", "online");
    s.updateDeviceMulti([
      { id: "ns/a", cols: { last_online: "2026-01-01T00:00:00Z" } },
      { id: "ns/b", cols: { state: "offline" } },
    ]);
    s.updateDeviceAttrField("ns/a", "x", "value", "2");
    s.updateDeviceTwinFields("ns/a", "t", { actual: "9", expected: "10" });
    s.updateDeviceTwinMulti([{ deviceId: "ns/a", name: "t", cols: { attr_type: "float" } }]);
    expect(s.queryDevice("id", "ns/a")[0]).toMatchObject({
      state: "online",
      last_online: "2026-01-01T00:00:00Z",
    });
    expect(s.queryDevice("state", "offline").map(d => d.id)).toEqual(["ns/b"]);
    expect(s.queryDeviceAttr("deviceid", "ns/a")[0]!.value).toBe("2");
    expect(s.queryDeviceTwin("deviceid", "ns/a")[0]).toMatchObject({
      actual: "9",
      expected: "10",
      attr_type: "float",
    });
  });

  it("applies attribute and twin transactions (insert, delete, update) atomically", () => {
    const s = tables();
    s.addDeviceTrans(
      [dev("ns/a")],
      [attrToRow("ns/a", "x", { value: "1" })],
      [twin("ns/a", "t", "1"), twin("ns/a", "u", "1")],
    );
    s.deviceAttrTrans(
      [attrToRow("ns/a", "y", { value: "2" })],
      [{ deviceId: "ns/a", name: "x" }],
      [],
    );
    s.deviceTwinTrans(
      [twin("ns/a", "v", "3")],
      [{ deviceId: "ns/a", name: "t" }],
      [{ deviceId: "ns/a", name: "u", cols: { actual: "5" } }],
    );
    expect(s.queryDeviceAttr("deviceid", "ns/a").map(a => a.name)).toEqual(["y"]);
    expect(Object.keys(s.loadAll()[0]!.twins).sort()).toEqual(["u", "v"]);
    expect(() =>
      s.deviceTwinTrans(
        [twin("ns/a", "w", "1")],
        [],
        [{ deviceId: "ns/a", name: "u", cols: { nope: 1 } }],
      ),
    ).toThrow(/no column/);
    expect(Object.keys(s.loadAll()[0]!.twins).sort()).toEqual(["u", "v"]);
  });

  it("deletes single rows by id or by device and name", () => {
    const s = tables();
    s.addDeviceTrans(
      [dev("ns/a")],
      [attrToRow("ns/a", "x", { value: "1" })],
      [twin("ns/a", "t", "1"), twin("ns/a", "u", "1")],
    );
    const attrId = s.queryDeviceAttr("name", "x")[0]!.id!;
    expect(s.deleteDeviceAttrById(attrId)).toBe(true);
    expect(s.deleteDeviceTwin("ns/a", "t")).toBe(true);
    expect(s.deleteDeviceTwinByDeviceId("ns/a")).toBe(1);
    expect(s.deleteDeviceById("ns/a")).toBe(true);
    expect(s.deleteDeviceById("ns/a")).toBe(false);
  });

  it("refuses to query or update a column it does not know", () => {
    const s = tables();
    expect(() => s.queryDevice("1=1 OR id", "x")).toThrow(/cannot query/);
    expect(() => s.updateDeviceFields("ns/a", { "id = 'x'; --": "y" })).toThrow(/no column/);
  });
});
