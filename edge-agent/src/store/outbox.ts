import type { Database } from "./database.js";

/** What an outbox entry asks EdgeHub to do. */
export enum OutboxKind {
  /** JSON merge patch of a Device's status; payload `DeviceStatusReport`. Coalesced per device. */
  DeviceStatus = "device-status",
  /** Merge patch of a Pod's status subresource; payload `{namespace, name, status}`. */
  PodStatus = "pod-status",
  /** A core/v1 Event about this node; payload `NodeEventReport`. Never coalesced. */
  Event = "event",
  /**
   * Final delete of a terminated pod (kubelet's last step), payload `{namespace, name, uid}`;
   * the uid precondition keeps a pod re-created under the same name safe.
   */
  PodDelete = "pod-delete",
}

export interface OutboxEntry<T = unknown> {
  seq: number;
  kind: string;
  key: string;
  payload: T;
  createdAt: number;
  attempts: number;
  lastError?: string;
}

/** Merges a newer payload into a pending one with the same kind and key. */
export type Coalescer = (pending: unknown, next: unknown) => unknown;

/** For full-state reports (a pod's whole status): only the newest matters. */
export const newestWins: Coalescer = (_pending, next) => next;

/**
 * How much the outbox may hold. Over either limit the oldest Events go first (they describe,
 * they do not carry state); reported twin values, pod statuses and pod deletes are never
 * dropped, so the outbox may stay over the limit when only they are left.
 */
export interface OutboxLimits {
  maxRows: number;
  maxBytes: number;
}

export const DEFAULT_OUTBOX_LIMITS: OutboxLimits = { maxRows: 100_000, maxBytes: 64 * 1024 * 1024 };

/** The only kind the cap may drop. */
const DROPPABLE_KIND = OutboxKind.Event;

interface Row {
  seq: number;
  kind: string;
  key: string;
  payload: string;
  created_at: number;
  attempts: number;
  last_error: string | null;
}

/**
 * Durable queue of everything going up to the cloud. Producers `enqueue`; EdgeHub
 * `take`s the oldest entry, sends it, then `ack`s it (or `release`s it with the error to retry
 * later). Entries survive restarts, so each cloud write must be idempotent: an entry sent
 * just before a crash is sent again.
 */
export class Outbox {
  private readonly inFlight = new Set<number>();
  private readonly listeners = new Set<() => void>();
  private readonly coalescers: ReadonlyMap<string, Coalescer>;
  private readonly statements: ReturnType<typeof prepare>;
  private droppedEvents = 0;

  constructor(
    private readonly db: Database,
    coalescers: Record<string, Coalescer> = {},
    private readonly limits: OutboxLimits = DEFAULT_OUTBOX_LIMITS,
  ) {
    this.coalescers = new Map(Object.entries(coalescers));
    this.statements = prepare(db);
  }

  /**
   * Queues a write durably (committed before this returns). For a kind with a coalescer, a
   * pending (not in-flight) entry with the same key absorbs the new payload instead.
   */
  enqueue(kind: string, key: string, payload: unknown): number {
    const coalesce = this.coalescers.get(kind);
    const seq = this.db.transaction((): number => {
      if (coalesce) {
        const last = this.statements.lastForKey.get(kind, key) as Row | undefined;
        if (last && !this.inFlight.has(last.seq)) {
          const merged = coalesce(JSON.parse(last.payload), payload);
          this.statements.updatePayload.run(JSON.stringify(merged), last.seq);
          return last.seq;
        }
      }
      const info = this.statements.insert.run(kind, key, JSON.stringify(payload), Date.now());
      this.enforceLimits();
      return Number(info.lastInsertRowid);
    })();
    for (const listener of this.listeners) listener();
    return seq;
  }

  /** The oldest entry not in flight, marked in flight; undefined when nothing waits. */
  take(): OutboxEntry | undefined {
    const rows = this.statements.oldest.all(this.inFlight.size + 1) as Row[];
    const row = rows.find(r => !this.inFlight.has(r.seq));
    if (!row) return undefined;
    this.inFlight.add(row.seq);
    return toEntry(row);
  }

  /** Drops the oldest Events not in flight while the outbox is over a limit. */
  private enforceLimits(): void {
    let { n, bytes } = this.statements.totals.get() as { n: number; bytes: number };
    const over = (): boolean => n > this.limits.maxRows || bytes > this.limits.maxBytes;
    if (!over()) return;
    const candidates = this.statements.oldestOfKind.iterate(DROPPABLE_KIND) as Iterable<{
      seq: number;
      size: number;
    }>;
    const victims: { seq: number; size: number }[] = [];
    for (const c of candidates) {
      if (!over()) break;
      if (this.inFlight.has(c.seq)) continue;
      victims.push(c);
      n -= 1;
      bytes -= c.size;
    }
    for (const v of victims) this.statements.remove.run(v.seq);
    this.droppedEvents += victims.length;
  }

  /** Events the cap dropped since start (never other kinds). */
  droppedEventCount(): number {
    return this.droppedEvents;
  }

  /** Oldest entries in order, without taking them. */
  peek(limit = 100): OutboxEntry[] {
    return (this.statements.oldest.all(limit) as Row[]).map(toEntry);
  }

  /** The write reached the cloud: forget it. */
  ack(seq: number): void {
    this.statements.remove.run(seq);
    this.inFlight.delete(seq);
  }

  /**
   * The write failed: keep it at its place for a retry and record why. `countAttempt` false
   * when the entry is not at fault (the node's credentials were refused).
   */
  release(seq: number, error?: unknown, countAttempt = true): void {
    const reason = error === undefined ? null : errorText(error);
    (countAttempt ? this.statements.fail : this.statements.note).run(reason, seq);
    this.inFlight.delete(seq);
  }

  /**
   * Moves an entry the cloud refused for good (after its attempts) to `outbox_dead_letter`,
   * so it cannot block the queue and is never lost silently.
   */
  deadLetter(seq: number, error: unknown): void {
    this.db.transaction(() => {
      this.statements.fail.run(errorText(error), seq);
      this.statements.toDeadLetter.run(Date.now(), seq);
      this.statements.remove.run(seq);
    })();
    this.inFlight.delete(seq);
  }

  /** Dead-lettered entries, oldest first. */
  deadLetters(limit = 100): OutboxEntry[] {
    return (this.statements.deadLetters.all(limit) as Row[]).map(toEntry);
  }

  /**
   * Puts a dead letter back in the outbox under its own seq, so it is sent before every newer
   * entry (a retried report never overwrites a newer one), with its attempts reset.
   */
  retryDeadLetter(seq: number): boolean {
    return this.db.transaction(() => {
      if (this.statements.fromDeadLetter.run(seq).changes === 0) return false;
      this.statements.removeDeadLetter.run(seq);
      return true;
    })();
  }

  /** Forgets a dead letter for good (an operator's decision). */
  dropDeadLetter(seq: number): boolean {
    return this.statements.removeDeadLetter.run(seq).changes > 0;
  }

  deadLetterCount(): number {
    return (this.statements.deadCount.get() as { n: number }).n;
  }

  depth(): number {
    return (this.statements.count.get() as { n: number }).n;
  }

  /** Called after every enqueue (wakes the drainer). Returns an unsubscribe function. */
  onEnqueue(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function prepare(db: Database) {
  return {
    insert: db.prepare("INSERT INTO outbox (kind, key, payload, created_at) VALUES (?, ?, ?, ?)"),
    lastForKey: db.prepare(
      "SELECT * FROM outbox WHERE kind = ? AND key = ? ORDER BY seq DESC LIMIT 1",
    ),
    updatePayload: db.prepare("UPDATE outbox SET payload = ? WHERE seq = ?"),
    oldest: db.prepare("SELECT * FROM outbox ORDER BY seq LIMIT ?"),
    remove: db.prepare("DELETE FROM outbox WHERE seq = ?"),
    fail: db.prepare("UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ?"),
    note: db.prepare("UPDATE outbox SET last_error = ? WHERE seq = ?"),
    count: db.prepare("SELECT COUNT(*) AS n FROM outbox"),
    totals: db.prepare(
      "SELECT COUNT(*) AS n, COALESCE(SUM(LENGTH(CAST(payload AS BLOB))), 0) AS bytes FROM outbox",
    ),
    oldestOfKind: db.prepare(
      "SELECT seq, LENGTH(CAST(payload AS BLOB)) AS size FROM outbox WHERE kind = ? ORDER BY seq",
    ),
    toDeadLetter: db.prepare(
      `INSERT INTO outbox_dead_letter
         (seq, kind, key, payload, created_at, attempts, last_error, dead_at)
       SELECT seq, kind, key, payload, created_at, attempts, last_error, ? FROM outbox
       WHERE seq = ?`,
    ),
    deadLetters: db.prepare("SELECT * FROM outbox_dead_letter ORDER BY seq LIMIT ?"),
    deadCount: db.prepare("SELECT COUNT(*) AS n FROM outbox_dead_letter"),
    fromDeadLetter: db.prepare(
      `INSERT INTO outbox (seq, kind, key, payload, created_at, attempts, last_error)
       SELECT seq, kind, key, payload, created_at, 0, last_error FROM outbox_dead_letter
       WHERE seq = ?`,
    ),
    removeDeadLetter: db.prepare("DELETE FROM outbox_dead_letter WHERE seq = ?"),
  };
}

function errorText(error: unknown): string {
  return String(error instanceof Error ? error.message : error);
}

function toEntry(row: Row): OutboxEntry {
  const entry: OutboxEntry = {
    seq: row.seq,
    kind: row.kind,
    key: row.key,
    payload: JSON.parse(row.payload) as unknown,
    createdAt: row.created_at,
    attempts: row.attempts,
  };
  if (row.last_error !== null) entry.lastError = row.last_error;
  return entry;
}
