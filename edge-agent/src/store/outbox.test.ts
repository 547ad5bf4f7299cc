import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { applyMigrations, openDatabase, type Database } from "./database.js";
import { DEFAULT_COALESCERS, enqueueDeviceStatus, mergeDeviceStatus } from "./device-status.js";
import { Outbox, OutboxKind } from "./outbox.js";

const dirs: string[] = [];
function tempDb(): { file: string; db: Database } {
  const dir = mkdtempSync(join(tmpdir(), "edge-outbox-"));
  dirs.push(dir);
  const file = join(dir, "edge.db");
  return { file, db: openDatabase(file) };
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("openDatabase", () => {
  it("uses WAL and applies core and module migrations once", () => {
    const { file, db } = tempDb();
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
    const mig = [{ id: "test/001-t", up: "CREATE TABLE t (x INTEGER)" }];
    const again = openDatabase(file, { migrations: mig });
    expect(applyMigrations(again, mig)).toEqual([]);
    again.prepare("INSERT INTO t VALUES (1)").run();
    again.close();
  });

  it("names the failing migration and leaves nothing half-applied", () => {
    const { db } = tempDb();
    const bad = [{ id: "test/001-bad", up: "CREATE TABLE ok (x); CREATE TABLE broken (" }];
    expect(() => applyMigrations(db, bad)).toThrow(/migration test\/001-bad failed/);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE name = 'ok'").all();
    expect(tables).toEqual([]);
  });

  it("refuses duplicate migration ids", () => {
    const { db } = tempDb();
    const m = { id: "x/1", up: "SELECT 1" };
    expect(() => applyMigrations(db, [m, m])).toThrow(/registered twice/);
  });
});

describe("Outbox", () => {
  it("hands entries out oldest first and keeps a released one at its place", () => {
    const { db } = tempDb();
    const box = new Outbox(db);
    box.enqueue(OutboxKind.Event, "a", { n: 1 });
    box.enqueue(OutboxKind.Event, "b", { n: 2 });
    const first = box.take()!;
    expect(first.payload).toEqual({ n: 1 });
    box.release(first.seq, new Error("apiserver down"));
    const again = box.take()!;
    expect(again.seq).toBe(first.seq);
    expect(again.attempts).toBe(1);
    expect(again.lastError).toBe("apiserver down");
    box.ack(again.seq);
    expect(box.take()?.payload).toEqual({ n: 2 });
    expect(box.depth()).toBe(1);
  });

  it("survives reopening the database", () => {
    const { file, db } = tempDb();
    new Outbox(db).enqueue(OutboxKind.Event, "k", { hello: "world" });
    db.close();
    const reopened = new Outbox(openDatabase(file));
    expect(reopened.peek().map(e => e.payload)).toEqual([{ hello: "world" }]);
  });

  it("coalesces device reports per device but not into an entry in flight", () => {
    const { db } = tempDb();
    const box = new Outbox(db, DEFAULT_COALESCERS);
    const twin = (p: string, v: string) => ({ propertyName: p, reported: { value: v } });
    enqueueDeviceStatus(box, { namespace: "ns", name: "d", status: { twins: [twin("t", "1")] } });
    enqueueDeviceStatus(box, {
      namespace: "ns",
      name: "d",
      status: { twins: [twin("t", "2"), twin("h", "5")], state: "online" },
    });
    expect(box.depth()).toBe(1);
    const head = box.take()!;
    expect(head.payload).toEqual({
      namespace: "ns",
      name: "d",
      status: { twins: [twin("t", "2"), twin("h", "5")], state: "online" },
    });
    enqueueDeviceStatus(box, { namespace: "ns", name: "d", status: { twins: [twin("t", "3")] } });
    expect(box.depth()).toBe(2);
  });

  it("notifies listeners on enqueue", () => {
    const { db } = tempDb();
    const box = new Outbox(db);
    let calls = 0;
    const off = box.onEnqueue(() => calls++);
    box.enqueue("x", "k", 1);
    off();
    box.enqueue("x", "k", 2);
    expect(calls).toBe(1);
  });
});

describe("mergeDeviceStatus", () => {
  const t = (p: string, v: string) => ({ propertyName: p, reported: { value: v } });
  it.each([
    {
      name: "newer value per property wins, others kept",
      a: { twins: [t("a", "1"), t("b", "1")] },
      b: { twins: [t("b", "2")] },
      want: { twins: [t("a", "1"), t("b", "2")] },
    },
    {
      name: "state only keeps the pending twins",
      a: { twins: [t("a", "1")], state: "online" },
      b: { state: "offline", lastOnlineTime: "2026-01-01T00:00:00Z" },
      want: { twins: [t("a", "1")], state: "offline", lastOnlineTime: "2026-01-01T00:00:00Z" },
    },
  ])("$name", ({ a, b, want }) => {
    const merged = mergeDeviceStatus(
      { namespace: "n", name: "d", status: a },
      { namespace: "n", name: "d", status: b },
    );
    expect(merged.status).toEqual(want);
  });
});
