import type { Logger } from "pino";
import type { AgentConfig } from "../config/types.js";
import { KubeClient, type KubeObject } from "../kube/client.js";
import { credentialFiles, hubCredentials, type Credentials } from "../kube/kubeconfig.js";
import type { MetaStore } from "../store/meta-store.js";
import type { Outbox } from "../store/outbox.js";
import { Backoff, sleep } from "./backoff.js";
import { OutboxDrainer } from "./drain.js";
import type { MetricsRegistry } from "../observability/metrics.js";
import { edgeHubMetrics, type EdgeHubMetrics } from "./edge-hub-metrics.js";
import { gatherHostFacts } from "../util/host-facts.js";
import { NodeReporter } from "./node-reporter.js";
import { CertificateRotator } from "./cert-rotation.js";
import { CredentialWatcher } from "./credential-watch.js";
import { storedAsReady } from "./node.js";
import { forStore, type Change } from "./reflector.js";
import { desiredWatches, WatchSet } from "./watch-set.js";

export interface EdgeHubDeps {
  config: AgentConfig;
  meta: MetaStore;
  outbox: Outbox;
  metrics: MetricsRegistry;
  log: Logger;
  /** Every store change from the cloud (the meta manager routes it to modules). */
  onChange: (change: Change) => void;
  /** Called with true when a session is up, false when it drops. */
  onConnection: (connected: boolean) => void;
}

/** A session that stayed up this long resets the reconnect backoff. */
const STABLE_SESSION_MS = 30_000;

/**
 * EdgeHub (KubeEdge's edgehub) over the Kubernetes API: one session at a time registers
 * the Node, renews the Lease, posts Node status, runs the watches and drains the outbox. Any
 * connection loss ends the session; the link reconnects with exponential backoff and jitter,
 * and the watches resume from their stored resourceVersions.
 */
export class EdgeHub {
  readonly client: KubeClient;
  readonly reporter: NodeReporter;
  private readonly drainer: OutboxDrainer;
  private readonly watches: WatchSet;
  private readonly nodeName: string;
  private connectedNow = false;
  private reconcilePending = false;
  private sessionAbort?: AbortController;
  private loop?: Promise<void>;
  private readonly metrics: EdgeHubMetrics;
  private readonly rotator?: CertificateRotator;
  private readonly credentialWatch: CredentialWatcher;

  constructor(private readonly deps: EdgeHubDeps) {
    const { config, metrics } = deps;
    const hub = config.modules.edgeHub;
    this.nodeName = config.nodeName;
    const credentials = () => hubCredentials(hub);
    this.client = new KubeClient(credentials(), hub.requestTimeoutMs);
    this.metrics = edgeHubMetrics(metrics, deps.outbox);
    if (hub.rotateCertificates) {
      this.rotator = new CertificateRotator(
        hub,
        this.nodeName,
        this.client,
        deps.log,
        metrics.counter(
          "kubeedge_edge_certificate_rotations_total",
          "Client certificates renewed through a CSR",
        ),
      );
    }
    this.credentialWatch = new CredentialWatcher({
      files: () => credentialFiles(hub),
      read: credentials,
      current: () => this.client.creds,
      apply: creds => this.client.reload(creds),
      log: deps.log,
      reloads: metrics.counter(
        "kubeedge_edge_credential_reloads_total",
        "API client switched to credential files changed on disk",
      ),
    });
    const host = gatherHostFacts(config.modules.edged.nodeIP);
    this.reporter = new NodeReporter(
      this.client,
      this.nodeName,
      host,
      config.modules.edged,
      hub.leaseDurationSeconds,
      deps.log,
    );
    this.drainer = new OutboxDrainer(
      this.client,
      deps.outbox,
      this.nodeName,
      deps.log,
      this.metrics.sent,
      {
        deadLettered: this.metrics.deadLettered,
        credentialRefusals: this.metrics.credentialRefusals,
        delivered: metrics.histogram(
          "kubeedge_edge_report_delivery_seconds",
          "From a report's enqueue in the outbox to the apiserver accepting it, by kind",
        ),
        reloadCredentials: () => this.reloadCredentials(credentials),
      },
    );
    this.watches = new WatchSet(
      {
        client: this.client,
        meta: deps.meta,
        log: deps.log,
        onChange: change => this.onChange(change),
        onRestart: (watch, reason) =>
          this.metrics.watchRestarts.inc({ watch: watch.split("/")[0] ?? watch, reason }),
      },
      error => this.sessionAbort?.abort(error),
    );
  }

  /** Re-reads the kubeconfig and certificate files; keeps the old ones if they are unreadable. */
  private reloadCredentials(read: () => Credentials): void {
    try {
      this.client.reload(read());
      this.deps.log.info("credentials re-read");
    } catch (error) {
      this.deps.log.warn({ err: error }, "re-reading credentials failed; keeping the old ones");
    }
  }

  get connected(): boolean {
    return this.connectedNow;
  }

  start(signal: AbortSignal): void {
    this.rotator?.start();
    this.credentialWatch.start();
    this.loop = this.run(signal);
  }

  async stop(): Promise<void> {
    this.rotator?.stop();
    this.credentialWatch.stop();
    this.sessionAbort?.abort(new Error("stopping"));
    await this.loop;
    this.client.close();
  }

  /** GETs one object from the cloud and caches it (remote query of the meta manager). */
  async fetch(kind: string, namespace: string, name: string): Promise<KubeObject> {
    const plural = `${kind.toLowerCase()}s`;
    const path = namespace
      ? `/api/v1/namespaces/${namespace}/${plural}/${name}`
      : `/api/v1/${plural}/${name}`;
    const object = await this.client.get<KubeObject>(path);
    this.deps.meta.put(kind, forStore(kind, object));
    return object;
  }

  private async run(signal: AbortSignal): Promise<void> {
    const hub = this.deps.config.modules.edgeHub;
    const backoff = new Backoff(hub.reconnectInitialMs, hub.reconnectMaxMs);
    let first = true;
    while (!signal.aborted) {
      if (!first) this.metrics.reconnects.inc();
      first = false;
      const started = Date.now();
      const lastReason = await this.session(signal);
      const wasConnected = this.connectedNow;
      this.setConnected(false);
      if (signal.aborted) break;
      if (Date.now() - started > STABLE_SESSION_MS) backoff.reset();
      const delay = backoff.next();
      // One warning per outage, not one per attempt: an offline edge node is a normal state.
      const reason = lastReason instanceof Error ? lastReason.message : String(lastReason);
      if (wasConnected || backoff.attempts === 1) {
        this.deps.log.warn({ reason, retryInMs: delay }, "cloud unreachable; reconnecting");
      } else {
        this.deps.log.debug({ reason, retryInMs: delay }, "reconnect attempt failed");
      }
      await sleep(delay, signal);
    }
  }

  /** One connected session; resolves with why it ended. */
  private async session(outer: AbortSignal): Promise<unknown> {
    const ctl = new AbortController();
    this.sessionAbort = ctl;
    const onOuter = (): void => ctl.abort(new Error("stopping"));
    outer.addEventListener("abort", onOuter, { once: true });
    const fail = (error: unknown): void => ctl.abort(error);
    try {
      const node = await this.reporter.register();
      this.deps.meta.put("Node", forStore("Node", node));
      await this.reporter.renewLease();
      this.metrics.heartbeats.inc();
      this.setConnected(true);
      this.watches.reconcile(desiredWatches(this.nodeName, this.deps.meta), ctl.signal);
      this.every(this.deps.config.modules.edgeHub.heartbeat, ctl.signal, fail, async () => {
        await this.reporter.renewLease();
        this.metrics.heartbeats.inc();
      });
      this.every(
        this.deps.config.modules.edged.nodeStatusUpdateFrequency,
        ctl.signal,
        fail,
        async () => {
          await this.reporter.updateStatus();
        },
      );
      this.drainer.run(ctl.signal).catch(fail);
      await new Promise(resolve => ctl.signal.addEventListener("abort", resolve, { once: true }));
      return ctl.signal.reason;
    } catch (error) {
      ctl.abort(error);
      return error;
    } finally {
      outer.removeEventListener("abort", onOuter);
      this.watches.stopAll();
    }
  }

  /** Runs `task` every `seconds`; connection errors end the session, others are logged. */
  private every(
    seconds: number,
    signal: AbortSignal,
    fail: (e: unknown) => void,
    task: () => Promise<void>,
  ): void {
    const tick = async (): Promise<void> => {
      while (!signal.aborted) {
        await sleep(seconds * 1000, signal);
        if (signal.aborted) return;
        try {
          await task();
        } catch (error) {
          if ((error as Error).name === "ConnectionError") return fail(error);
          this.deps.log.warn({ err: error }, "periodic cloud task failed");
        }
      }
    };
    void tick();
  }

  private onChange(change: Change): void {
    this.deps.onChange(change);
    if (change.kind === "Node" && change.op !== "delete") this.keepReady(change.object);
    if (change.kind !== "Pod" && change.kind !== "Node") return;
    // A relist changes many pods at once: recompute the watch set once afterwards.
    if (this.reconcilePending) return;
    this.reconcilePending = true;
    setImmediate(() => {
      this.reconcilePending = false;
      const signal = this.sessionAbort?.signal;
      if (signal && !signal.aborted) {
        this.watches.reconcile(desiredWatches(this.nodeName, this.deps.meta), signal);
      }
    });
  }

  /**
   * Node status is sent only when it changes (node-reporter.ts), so a Ready condition someone
   * else wrote (the node lifecycle controller's Unknown after a late Lease) is answered at once.
   */
  private keepReady(node: KubeObject): void {
    if (!this.connectedNow || node.metadata.name !== this.nodeName || storedAsReady(node)) return;
    this.reporter.updateStatus(true).catch(error => {
      this.deps.log.warn({ err: error }, "re-sending Node status failed");
    });
  }

  private setConnected(connected: boolean): void {
    this.metrics.connected.set(connected ? 1 : 0);
    if (this.connectedNow === connected) return;
    this.connectedNow = connected;
    this.deps.log.info(connected ? "cloud connected" : "cloud disconnected");
    this.deps.onConnection(connected);
  }
}
