import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { DATA_DIR_MODE, secureDatabaseFiles } from "./file-modes.js";

export type Database = BetterSqlite3.Database;

/**
 * One schema change. Ids are global and never reused; prefix them with the owning module
 * (`core/001-meta`, `devicetwin/001-device`). `up` runs once, inside a transaction.
 */
export interface Migration {
  id: string;
  up: string | ((db: Database) => void);
}

/** Tables of the agent core: the meta store, watch bookmarks and the outbox. */
export const CORE_MIGRATIONS: readonly Migration[] = [
  {
    id: "core/001-meta",
    up: `CREATE TABLE meta (
           kind TEXT NOT NULL,
           namespace TEXT NOT NULL DEFAULT '',
           name TEXT NOT NULL,
           uid TEXT NOT NULL DEFAULT '',
           resource_version TEXT NOT NULL DEFAULT '',
           generation INTEGER NOT NULL DEFAULT 0,
           object TEXT NOT NULL,
           updated_at INTEGER NOT NULL,
           PRIMARY KEY (kind, namespace, name)
         ) WITHOUT ROWID;`,
  },
  {
    id: "core/002-watch-state",
    up: `CREATE TABLE watch_state (
           watch TEXT PRIMARY KEY,
           resource_version TEXT NOT NULL,
           updated_at INTEGER NOT NULL
         );`,
  },
  {
    id: "core/003-outbox",
    up: `CREATE TABLE outbox (
           seq INTEGER PRIMARY KEY AUTOINCREMENT,
           kind TEXT NOT NULL,
           key TEXT NOT NULL,
           payload TEXT NOT NULL,
           created_at INTEGER NOT NULL,
           attempts INTEGER NOT NULL DEFAULT 0,
           last_error TEXT
         );
         CREATE INDEX outbox_kind_key ON outbox (kind, key);`,
  },
  {
    // Entries the apiserver refused for good, kept for an operator instead of deleted.
    id: "core/004-outbox-dead-letter",
    up: `CREATE TABLE outbox_dead_letter (
           seq INTEGER PRIMARY KEY,
           kind TEXT NOT NULL,
           key TEXT NOT NULL,
           payload TEXT NOT NULL,
           created_at INTEGER NOT NULL,
           attempts INTEGER NOT NULL,
           last_error TEXT,
           dead_at INTEGER NOT NULL
         );`,
  },
];

export interface OpenDatabaseOptions {
  /** Migrations of the modules, applied after the core ones, in the order given. */
  migrations?: readonly Migration[];
}

/**
 * Opens (creating if needed) the agent's SQLite file in WAL mode and applies every migration
 * not yet recorded in `schema_migrations`. The file, its WAL and shared memory are 0600 (see
 * file-modes.ts).
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Database {
  const onDisk = file !== ":memory:" && file !== "";
  let db: Database;
  try {
    if (onDisk) {
      mkdirSync(dirname(file), { recursive: true, mode: DATA_DIR_MODE });
      secureDatabaseFiles(file);
    }
    db = new BetterSqlite3(file);
  } catch (error) {
    throw new Error(`cannot open database ${file}`, { cause: error });
  }
  db.pragma("journal_mode = WAL");
  // The WAL and SHM files exist now; an -shm left looser by an older version is tightened.
  if (onDisk) secureDatabaseFiles(file);
  // FULL: every commit is fsynced to the WAL before it returns. The agent answers mappers,
  // acknowledges cloud messages and drops outbox entries only after a commit, so a commit must
  // also survive a power cut, not only `kill -9` (NORMAL's promise). Cost: docs/benchmarks.md.
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  // Deleted and replaced content is zeroed, not left in free space: a Secret sealed in place
  // (meta-store.ts) or a deleted one leaves no clear text in the file.
  db.pragma("secure_delete = ON");
  db.pragma("busy_timeout = 5000");
  // 512 KiB page cache instead of 2 MiB: the agent's working set is small and RSS is scarce.
  db.pragma("cache_size = -512");
  applyMigrations(db, [...CORE_MIGRATIONS, ...(options.migrations ?? [])]);
  return db;
}

export function applyMigrations(db: Database, migrations: readonly Migration[]): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
             id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`);
  const seen = new Set<string>();
  for (const m of migrations) {
    if (seen.has(m.id)) throw new Error(`migration id "${m.id}" is registered twice`);
    seen.add(m.id);
  }
  const done = new Set(
    db
      .prepare("SELECT id FROM schema_migrations")
      .all()
      .map(r => (r as { id: string }).id),
  );
  const record = db.prepare("INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)");
  const applied: string[] = [];
  for (const m of migrations) {
    if (done.has(m.id)) continue;
    const run = db.transaction(() => {
      if (typeof m.up === "string") db.exec(m.up);
      else m.up(db);
      record.run(m.id, Date.now());
    });
    try {
      run();
    } catch (error) {
      throw new Error(`migration ${m.id} failed`, { cause: error });
    }
    applied.push(m.id);
  }
  return applied;
}
