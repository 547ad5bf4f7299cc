/**
 * The profile work queue. Pepr calls watch callbacks and forgets them (a failed reconcile is
 * dropped), so callbacks only mark a namespace or node dirty; this queue coalesces bursts
 * (1,000 device creates become a handful of passes), runs one pass at a time (no two writers of
 * the same Node annotation), and retries failures with exponential backoff, reporting each
 * failure as an Event and as the Node condition DeviceProfilesSynced=False.
 */
import type { Logger } from "pino";
import { EventRecorder } from "./events.js";
import { KubeClient } from "./kube-client.js";
import { setProfileCondition, syncNodeAnnotation, type ConditionState } from "./node-sync.js";
import { runLimited, syncNamespace, type NamespaceSyncResult } from "./sync.js";
import { syncDeviceStates } from "./device-states.js";
import { nodeReadiness, type Readiness } from "./node-state.js";

export interface ReconcilerOptions {
  debounceMs?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
}

type Key = `ns:${string}` | `node:${string}` | `state:${string}`;

const DEVICE_API = "devices.kubeedge.io/v1alpha2";
/** Nodes are independent of each other, so their updates may run side by side. */
const NODE_CONCURRENCY = 8;

export class ProfileReconciler {
  readonly #client: KubeClient;
  readonly #events: EventRecorder;
  readonly #log: Logger;
  readonly #opts: Required<ReconcilerOptions>;
  readonly #dirtyNs = new Set<string>();
  readonly #dirtyNodes = new Set<string>();
  readonly #dirtyStates = new Map<string, Readiness>();
  readonly #readiness = new Map<string, Readiness>();
  readonly #seenNodes = new Set<string>();
  readonly #attempts = new Map<Key, number>();
  readonly #retryTimers = new Map<Key, NodeJS.Timeout>();
  /** node → namespace → problem, to compute the node condition across namespaces. */
  readonly #problems = new Map<string, Map<string, string>>();
  readonly #nodesOfNs = new Map<string, Set<string>>();
  readonly #conditionWritten = new Map<string, string>();
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  passes = 0;

  constructor(client: KubeClient, log: Logger, opts: ReconcilerOptions = {}) {
    this.#client = client;
    this.#events = new EventRecorder(client);
    this.#log = log;
    this.#opts = { debounceMs: 100, baseBackoffMs: 500, maxBackoffMs: 60_000, ...opts };
  }

  enqueueNamespace(ns: string | undefined): void {
    if (!ns) return;
    this.#dirtyNs.add(ns);
    this.#schedule();
  }

  enqueueNode(node: string | undefined): void {
    if (!node) return;
    this.#dirtyNodes.add(node);
    this.#schedule();
  }

  /**
   * Called for every Node event; acts on readiness changes only (and on the first sighting,
   * so devices marked before a module restart are restored).
   */
  observeNode(node: { metadata?: { name?: string } } & Parameters<typeof nodeReadiness>[0]): void {
    const name = node.metadata?.name;
    if (!name) return;
    if (!this.#seenNodes.has(name)) {
      this.#seenNodes.add(name);
      this.enqueueNode(name);
    }
    const readiness = nodeReadiness(node);
    if (!readiness || this.#readiness.get(name) === readiness) return;
    this.#readiness.set(name, readiness);
    this.#dirtyStates.set(name, readiness);
    this.#schedule();
  }

  stop(): void {
    clearTimeout(this.#timer);
    for (const t of this.#retryTimers.values()) clearTimeout(t);
    this.#retryTimers.clear();
  }

  #schedule(): void {
    if (this.#timer || this.#running) return;
    this.#timer = setTimeout(() => void this.#run(), this.#opts.debounceMs);
  }

  async #run(): Promise<void> {
    this.#timer = undefined;
    this.#running = true;
    try {
      while (this.#dirtyNs.size + this.#dirtyNodes.size + this.#dirtyStates.size > 0) {
        this.passes++;
        const namespaces = [...this.#dirtyNs];
        this.#dirtyNs.clear();
        for (const ns of namespaces) await this.#syncNamespace(ns);
        const nodes = [...this.#dirtyNodes];
        this.#dirtyNodes.clear();
        await runLimited(
          nodes.map(node => () => this.#syncNode(node)),
          NODE_CONCURRENCY,
        );
        const states = [...this.#dirtyStates];
        this.#dirtyStates.clear();
        await runLimited(
          states.map(
            ([node, r]) =>
              () =>
                this.#syncStates(node, r),
          ),
          NODE_CONCURRENCY,
        );
      }
    } finally {
      this.#running = false;
    }
  }

  async #syncNamespace(ns: string): Promise<void> {
    let result: NamespaceSyncResult;
    try {
      result = await syncNamespace(this.#client, ns);
    } catch (err) {
      const message = `syncing device profiles in namespace ${ns} failed: ${errorText(err)}`;
      for (const node of this.#nodesOfNs.get(ns) ?? []) this.#setProblem(node, ns, message);
      await this.#failed(`ns:${ns}`, message, { apiVersion: "v1", kind: "Namespace", name: ns });
      return;
    }
    this.#succeeded(`ns:${ns}`);
    this.#nodesOfNs.set(ns, result.profiledNodes);
    for (const node of result.nodes) {
      this.#setProblem(node, ns, undefined);
      this.#dirtyNodes.add(node);
    }
    for (const e of result.tooLarge) {
      this.#setProblem(e.node, ns, e.message);
      await this.#event(
        { apiVersion: "v1", kind: "Node", name: e.node },
        "ProfileTooLarge",
        e.message,
      );
    }
    for (const s of result.skipped) {
      const [namespace, name] = s.id.split("/");
      await this.#event(
        { apiVersion: DEVICE_API, kind: "Device", name, namespace },
        "ProfileSkipped",
        s.reason,
      );
    }
    if (result.writes + result.deletes > 0) {
      this.#log.info(
        { namespace: ns, writes: result.writes, deletes: result.deletes },
        "device profiles synced",
      );
    }
  }

  async #syncNode(node: string): Promise<void> {
    try {
      const namespaces = await syncNodeAnnotation(this.#client, node);
      if (namespaces !== undefined) await this.#writeCondition(node);
      this.#succeeded(`node:${node}`);
    } catch (err) {
      const message = `updating node ${node} for its device profiles failed: ${errorText(err)}`;
      await this.#failed(`node:${node}`, message, { apiVersion: "v1", kind: "Node", name: node });
    }
  }

  async #syncStates(node: string, readiness: Readiness): Promise<void> {
    try {
      const patched = await syncDeviceStates(this.#client, node, readiness);
      this.#succeeded(`state:${node}`);
      if (patched > 0)
        this.#log.info({ node, readiness, devices: patched }, "device states follow node");
    } catch (err) {
      const message = `setting device states for ${readiness} node ${node} failed: ${errorText(err)}`;
      await this.#failed(`state:${node}`, message, { apiVersion: "v1", kind: "Node", name: node });
    }
  }

  #setProblem(node: string, ns: string, message: string | undefined): void {
    const byNs = this.#problems.get(node) ?? new Map<string, string>();
    if (message) byNs.set(ns, message);
    else byNs.delete(ns);
    this.#problems.set(node, byNs);
  }

  async #writeCondition(node: string): Promise<void> {
    const problems = [...(this.#problems.get(node)?.values() ?? [])];
    const state: ConditionState =
      problems.length === 0
        ? { ok: true, reason: "Synced", message: "device profiles are up to date" }
        : { ok: false, reason: "SyncFailed", message: problems.join("; ").slice(0, 1000) };
    const key = JSON.stringify(state);
    if (this.#conditionWritten.get(node) === key) return;
    await setProfileCondition(this.#client, node, state);
    this.#conditionWritten.set(node, key);
  }

  #succeeded(key: Key): void {
    this.#attempts.delete(key);
  }

  async #failed(
    key: Key,
    message: string,
    target: Parameters<EventRecorder["record"]>[0],
  ): Promise<void> {
    const attempt = (this.#attempts.get(key) ?? 0) + 1;
    this.#attempts.set(key, attempt);
    const delay = Math.min(this.#opts.baseBackoffMs * 2 ** (attempt - 1), this.#opts.maxBackoffMs);
    this.#log.warn({ key, attempt, retryInMs: delay }, message);
    clearTimeout(this.#retryTimers.get(key));
    this.#retryTimers.set(
      key,
      setTimeout(() => {
        this.#retryTimers.delete(key);
        const [kind, name] = [key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)];
        if (kind === "ns") this.enqueueNamespace(name);
        else if (kind === "node") this.enqueueNode(name);
        else if (this.#readiness.has(name)) {
          this.#dirtyStates.set(name, this.#readiness.get(name)!);
          this.#schedule();
        }
      }, delay),
    );
    await this.#event(
      target,
      "ProfileSyncFailed",
      `${message} (attempt ${attempt}, retry in ${delay} ms)`,
    );
    // The failing namespace's nodes show the failure in their condition too.
    if (key.startsWith("ns:")) {
      for (const node of this.#nodesOfNs.get(key.slice(3)) ?? []) this.#dirtyNodes.add(node);
    }
  }

  async #event(
    target: Parameters<EventRecorder["record"]>[0],
    reason: string,
    message: string,
  ): Promise<void> {
    await this.#events.record(target, "Warning", reason, message).catch(err => {
      this.#log.warn({ err: errorText(err), reason }, "could not record event");
    });
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
