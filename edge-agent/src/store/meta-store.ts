import type { Database } from "./database.js";
import { isSealed, type SecretSealer } from "./secret-sealer.js";

/** Kinds whose stored JSON is sealed when the store has a sealer. */
const SEALED_KINDS = new Set(["Secret"]);

/** A cached Kubernetes object as the meta store keeps it. */
export interface StoredObject<T = unknown> {
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  resourceVersion: string;
  generation: number;
  object: T;
  updatedAt: number;
}

interface KubeMeta {
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
  };
}

interface Row {
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  resource_version: string;
  generation: number;
  object: string;
  updated_at: number;
}

export type PutResult = "inserted" | "updated" | "unchanged";

/**
 * The SQLite cache of cloud objects (KubeEdge's metamanager `meta` table), keyed by
 * kind/namespace/name. Everything the agent knows about pods, configmaps, secrets, its Node
 * and device profiles lives here so it can be answered and restored while the cloud is away.
 */
export class MetaStore {
  private readonly statements: ReturnType<typeof prepare>;

  /** With a sealer, Secrets are stored sealed (secret-sealer.ts); see sealPlaintextSecrets. */
  constructor(
    private readonly db: Database,
    private readonly sealer?: SecretSealer,
  ) {
    this.statements = prepare(db);
  }

  private encode(kind: string, namespace: string, name: string, json: string): string {
    if (!this.sealer || !SEALED_KINDS.has(kind)) return json;
    return this.sealer.seal(json, `${kind}/${namespace}/${name}`);
  }

  private decode(row: Row): string {
    if (!isSealed(row.object)) return row.object;
    if (!this.sealer)
      throw new Error(
        `${row.kind} ${row.namespace}/${row.name} is sealed and no secrets key is loaded`,
      );
    return this.sealer.open(row.object, `${row.kind}/${row.namespace}/${row.name}`);
  }

  private opens(row: Row): boolean {
    try {
      this.decode(row);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Seals Secrets stored in clear text (by a version without encryption), then truncates the
   * WAL so no page image with the clear text stays behind; the database runs with
   * secure_delete, so the replaced cells are zeroed. Secrets sealed with another key are
   * dropped. Returns how many rows it sealed.
   */
  sealPlaintextSecrets(): number {
    if (!this.sealer) return 0;
    const rows = this.db
      .prepare(`SELECT * FROM meta WHERE kind IN (${[...SEALED_KINDS].map(() => "?").join(",")})`)
      .all(...SEALED_KINDS) as Row[];
    const plain = rows.filter(r => !isSealed(r.object));
    // Sealed with another key (the key file was lost or replaced): the rows are a cache of
    // the cloud's Secrets, so they go and come back with the next sync.
    const unreadable = rows.filter(r => isSealed(r.object) && !this.opens(r));
    for (const r of unreadable) this.delete(r.kind, r.namespace, r.name);
    if (plain.length === 0) return 0;
    const update = this.db.prepare(
      "UPDATE meta SET object = ? WHERE kind = ? AND namespace = ? AND name = ?",
    );
    this.transaction(() => {
      for (const r of plain) {
        update.run(this.encode(r.kind, r.namespace, r.name, r.object), r.kind, r.namespace, r.name);
      }
    });
    this.db.pragma("wal_checkpoint(TRUNCATE)");
    return plain.length;
  }

  /** Inserts or replaces an object. "unchanged" when the stored resourceVersion is the same. */
  put(kind: string, object: unknown): PutResult {
    const meta = (object as KubeMeta).metadata ?? {};
    if (!meta.name) throw new Error(`cannot store a ${kind} without metadata.name`);
    const namespace = meta.namespace ?? "";
    const rv = meta.resourceVersion ?? "";
    const existing = this.statements.getVersion.get(kind, namespace, meta.name) as
      | { resource_version: string }
      | undefined;
    if (existing && rv !== "" && existing.resource_version === rv) return "unchanged";
    this.statements.upsert.run(
      kind,
      namespace,
      meta.name,
      meta.uid ?? "",
      rv,
      meta.generation ?? 0,
      this.encode(kind, namespace, meta.name, JSON.stringify(object)),
      Date.now(),
    );
    return existing ? "updated" : "inserted";
  }

  delete(kind: string, namespace: string, name: string): boolean {
    return this.statements.remove.run(kind, namespace, name).changes > 0;
  }

  get<T = unknown>(kind: string, namespace: string, name: string): StoredObject<T> | undefined {
    const row = this.statements.get.get(kind, namespace, name) as Row | undefined;
    return row ? toStored<T>(row, this.decode(row)) : undefined;
  }

  /** All objects of a kind, optionally in one namespace, ordered by namespace and name. */
  list<T = unknown>(kind: string, namespace?: string): StoredObject<T>[] {
    const rows = (
      namespace === undefined
        ? this.statements.listKind.all(kind)
        : this.statements.listNs.all(kind, namespace)
    ) as Row[];
    return rows.map(r => toStored<T>(r, this.decode(r)));
  }

  count(kind?: string): number {
    const row = (
      kind === undefined ? this.statements.countAll.get() : this.statements.countKind.get(kind)
    ) as {
      n: number;
    };
    return row.n;
  }

  /** Runs `fn` in one transaction (a relist applies all its changes atomically). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** The resourceVersion a watch last saw, to resume from it. */
  watchVersion(watch: string): string | undefined {
    const row = this.statements.getWatch.get(watch) as { resource_version: string } | undefined;
    return row?.resource_version;
  }

  setWatchVersion(watch: string, resourceVersion: string): void {
    this.statements.setWatch.run(watch, resourceVersion, Date.now());
  }

  clearWatchVersion(watch: string): void {
    this.statements.clearWatch.run(watch);
  }
}

function prepare(db: Database) {
  return {
    getVersion: db.prepare(
      "SELECT resource_version FROM meta WHERE kind = ? AND namespace = ? AND name = ?",
    ),
    upsert: db.prepare(
      `INSERT INTO meta (kind, namespace, name, uid, resource_version, generation, object, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (kind, namespace, name) DO UPDATE SET uid = excluded.uid,
         resource_version = excluded.resource_version, generation = excluded.generation,
         object = excluded.object, updated_at = excluded.updated_at`,
    ),
    remove: db.prepare("DELETE FROM meta WHERE kind = ? AND namespace = ? AND name = ?"),
    get: db.prepare("SELECT * FROM meta WHERE kind = ? AND namespace = ? AND name = ?"),
    listKind: db.prepare("SELECT * FROM meta WHERE kind = ? ORDER BY namespace, name"),
    listNs: db.prepare("SELECT * FROM meta WHERE kind = ? AND namespace = ? ORDER BY name"),
    countAll: db.prepare("SELECT COUNT(*) AS n FROM meta"),
    countKind: db.prepare("SELECT COUNT(*) AS n FROM meta WHERE kind = ?"),
    getWatch: db.prepare("SELECT resource_version FROM watch_state WHERE watch = ?"),
    setWatch: db.prepare(
      `INSERT INTO watch_state (watch, resource_version, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (watch) DO UPDATE SET resource_version = excluded.resource_version,
         updated_at = excluded.updated_at`,
    ),
    clearWatch: db.prepare("DELETE FROM watch_state WHERE watch = ?"),
  };
}

function toStored<T>(row: Row, json: string): StoredObject<T> {
  return {
    kind: row.kind,
    namespace: row.namespace,
    name: row.name,
    uid: row.uid,
    resourceVersion: row.resource_version,
    generation: row.generation,
    object: JSON.parse(json) as T,
    updatedAt: row.updated_at,
  };
}
