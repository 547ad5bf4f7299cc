import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "./database.js";

/** SQLite's numbering of `PRAGMA synchronous`: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA. */
const SYNCHRONOUS_FULL = 2;

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

describe("the agent's SQLite durability", () => {
  it("a write acknowledged to a peer survives a power cut: WAL with synchronous=FULL", () => {
    const dir = mkdtempSync(join(tmpdir(), "db-durability-"));
    roots.push(dir);
    const db = openDatabase(join(dir, "edge.db"));
    try {
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(db.pragma("synchronous", { simple: true })).toBe(SYNCHRONOUS_FULL);
    } finally {
      db.close();
    }
  });
});
