import type { Logger } from "pino";
import type { MetaStore, StoredObject } from "../store/meta-store.js";
import {
  ApiError,
  ConnectionError,
  type KubeClient,
  type KubeObject,
  type ObjectList,
  type WatchEvent,
} from "../kube/client.js";
import { Backoff, sleep } from "./backoff.js";

export type ChangeOp = "insert" | "update" | "delete";

/** One change to the meta store, with what was stored before (for diffing by uid/generation). */
export interface Change {
  op: ChangeOp;
  kind: string;
  object: KubeObject;
  previous?: StoredObject<KubeObject>;
  /** True when the change comes from a relist after the watch history was lost (410). */
  relist: boolean;
}

export interface ReflectorSpec {
  /** Unique key; also the key of the stored resourceVersion. */
  key: string;
  /** Kind in the meta store. */
  kind: string;
  /** Collection path, e.g. `/api/v1/pods` or `/api/v1/namespaces/ns/configmaps`. */
  path: string;
  fieldSelector?: string;
  /** Which stored objects this reflector owns (a relist deletes owned objects not listed). */
  owns: (stored: StoredObject) => boolean;
}

export interface ReflectorDeps {
  client: KubeClient;
  meta: MetaStore;
  log: Logger;
  onChange: (change: Change) => void;
  onRestart: (key: string, reason: string) => void;
}

class GoneError extends Error {}

/** The object as cached: with its kind, without managedFields (server bookkeeping that is often
 * larger than the object itself). */
export function forStore(kind: string, object: KubeObject): KubeObject {
  const metadata = { ...object.metadata };
  delete metadata.managedFields;
  return { ...object, kind, metadata };
}

/**
 * List+watch of one collection into the meta store, resuming from the stored resourceVersion.
 * Store writes and the new resourceVersion commit together, so a crash never skips an event.
 * On 410 Gone it relists and diffs; connection loss is thrown to the caller (EdgeHub
 * reconnects); other API errors (403, 404) are retried here with backoff.
 */
export class Reflector {
  constructor(
    readonly spec: ReflectorSpec,
    private readonly deps: ReflectorDeps,
  ) {}

  async run(signal: AbortSignal): Promise<void> {
    const backoff = new Backoff(1000, 60_000);
    while (!signal.aborted) {
      try {
        let rv = this.deps.meta.watchVersion(this.spec.key);
        if (rv === undefined) rv = await this.relist();
        await this.watch(rv, signal);
        backoff.reset();
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof GoneError || (error instanceof ApiError && error.status === 410)) {
          this.deps.meta.clearWatchVersion(this.spec.key);
          this.deps.onRestart(this.spec.key, "gone");
          continue;
        }
        if (error instanceof ConnectionError) throw error;
        this.deps.onRestart(this.spec.key, "error");
        this.deps.log.warn({ watch: this.spec.key, err: error }, "watch failed; retrying");
        await sleep(backoff.next(), signal);
      }
    }
  }

  /** Lists everything, applies the difference to the store, returns the list resourceVersion. */
  async relist(): Promise<string> {
    const { client, meta } = this.deps;
    const items: KubeObject[] = [];
    let cont: string | undefined;
    let rv = "";
    do {
      const page = await client.get<ObjectList>(this.spec.path, {
        fieldSelector: this.spec.fieldSelector,
        limit: 500,
        continue: cont,
      });
      items.push(...page.items);
      cont = page.metadata.continue || undefined;
      rv = page.metadata.resourceVersion ?? "";
    } while (cont);
    const changes: Change[] = [];
    meta.transaction(() => {
      const listed = new Set<string>();
      for (const item of items) {
        const ns = item.metadata.namespace ?? "";
        listed.add(`${ns}/${item.metadata.name}`);
        const change = this.apply("ADDED", item, true);
        if (change) changes.push(change);
      }
      for (const stored of meta.list<KubeObject>(this.spec.kind).filter(this.spec.owns)) {
        if (listed.has(`${stored.namespace}/${stored.name}`)) continue;
        meta.delete(stored.kind, stored.namespace, stored.name);
        changes.push({
          op: "delete",
          kind: stored.kind,
          object: stored.object,
          previous: stored,
          relist: true,
        });
      }
      meta.setWatchVersion(this.spec.key, rv);
    });
    for (const c of changes) this.deps.onChange(c);
    return rv;
  }

  private async watch(rv: string, signal: AbortSignal): Promise<void> {
    // Servers end watches after timeoutSeconds; a jittered value spreads the re-watches.
    const timeoutSeconds = 240 + Math.floor(Math.random() * 120);
    await this.deps.client.watch(
      this.spec.path,
      {
        fieldSelector: this.spec.fieldSelector,
        resourceVersion: rv,
        allowWatchBookmarks: true,
        timeoutSeconds,
      },
      event => this.onEvent(event),
      signal,
    );
  }

  private onEvent(event: WatchEvent): void {
    if (event.type === "ERROR") {
      const status = event.object as unknown as { code?: number; message?: string };
      if (status.code === 410) throw new GoneError(status.message ?? "gone");
      throw new ApiError(
        status.code ?? 500,
        "",
        `watch ${this.spec.key}: ${status.message ?? "error"}`,
      );
    }
    const rv = event.object.metadata.resourceVersion ?? "";
    if (event.type === "BOOKMARK") {
      this.deps.meta.setWatchVersion(this.spec.key, rv);
      return;
    }
    const change = this.deps.meta.transaction(() => {
      const c = this.apply(event.type, event.object, false);
      this.deps.meta.setWatchVersion(this.spec.key, rv);
      return c;
    });
    if (change) this.deps.onChange(change);
  }

  /** Writes one object to the store; returns the change, or undefined when nothing changed. */
  private apply(type: WatchEvent["type"], object: KubeObject, relist: boolean): Change | undefined {
    const { meta } = this.deps;
    const kind = this.spec.kind;
    const ns = object.metadata.namespace ?? "";
    const previous = meta.get<KubeObject>(kind, ns, object.metadata.name);
    if (type === "DELETED") {
      if (!meta.delete(kind, ns, object.metadata.name)) return undefined;
      return { op: "delete", kind, object, previous, relist };
    }
    const result = meta.put(kind, forStore(kind, object));
    if (result === "unchanged") return undefined;
    return { op: result === "inserted" ? "insert" : "update", kind, object, previous, relist };
  }
}
