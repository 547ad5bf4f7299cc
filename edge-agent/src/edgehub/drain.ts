import { DEVICE_PLURAL, DEVICES_API_VERSION } from "@kubeedge-ts/contract";
import type { Logger } from "pino";
import { ApiError, ConnectionError, isRetryable, type KubeClient } from "../kube/client.js";
import type { Counter, Histogram } from "../observability/metrics.js";
import { deviceStatusPatchBody, type DeviceStatusReport } from "../store/device-status.js";
import type {
  NodeEventReport,
  PodDeleteRequest,
  PodStatusReport,
} from "../store/outbox-payloads.js";
import { OutboxKind, type Outbox, type OutboxEntry } from "../store/outbox.js";
import { Backoff, sleep } from "./backoff.js";

/** Attempts before an entry the apiserver refuses for good is moved to the dead letters. */
export const DEAD_LETTER_AFTER = 5;

/**
 * The authorizer's wording (RBAC, Node authorizer, webhook authorizer alike):
 * `<resource> "<name>" is forbidden: User "<user>" cannot <verb> resource "<resource>" …`, or
 * `forbidden: User "<user>" cannot <verb> path "<path>"` for a non-resource URL.
 */
const AUTHORIZER_REFUSAL = /(?:^|\bis )forbidden: User "[^"]*" cannot \S+ (?:resource|path) "/;

/**
 * 401, or a 403 from the authorizer: the node's credentials or rights are refused (an expired
 * certificate after a week offline, a removed binding), not the entry. Recognised positively
 * from the Status message, because every other 403 — an admission webhook's or a
 * ValidatingAdmissionPolicy's denial, NodeRestriction, a ResourceQuota, a terminating
 * namespace — is about the entry and goes the way of other refusals (retried, then
 * dead-lettered) instead of pausing the whole outbox behind it.
 */
export function isCredentialRefusal(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.status === 401) return true;
  if (error.status !== 403 || error.reason !== "Forbidden") return false;
  return AUTHORIZER_REFUSAL.test(statusMessage(error));
}

/** The apiserver's Status message (the error's own message adds method and path in front). */
function statusMessage(error: ApiError): string {
  const body = error.body as { message?: unknown } | undefined;
  return typeof body === "object" && body && typeof body.message === "string"
    ? body.message
    : error.message;
}

export interface DrainerHooks {
  /** Re-reads the node's kubeconfig and certificate files (called when they are refused). */
  reloadCredentials: () => void;
  deadLettered: Counter;
  credentialRefusals: Counter;
  /** Seconds from an entry's enqueue to its delivery, by kind (queueing + the request). */
  delivered?: Histogram;
  /** Defaults to DEAD_LETTER_AFTER. */
  deadLetterAfter?: number;
}

/**
 * Sends outbox entries one at a time, oldest first, so reports arrive in the order they were
 * queued. Retryable failures keep the entry at the head and back off. Refused credentials
 * (401, RBAC 403) pause the drain, keep every entry and re-read the credentials. Other
 * refusals are retried, then moved to the dead-letter table (logged, counted, never deleted)
 * so one bad report cannot block the queue. Connection loss ends the drain (the link
 * reconnects and drains again).
 */
export class OutboxDrainer {
  constructor(
    private readonly client: KubeClient,
    private readonly outbox: Outbox,
    private readonly nodeName: string,
    private readonly log: Logger,
    private readonly sent: Counter,
    private readonly hooks: DrainerHooks,
  ) {}

  /** The previous session's drain, possibly still waiting for its last send. */
  private previous: Promise<void> = Promise.resolve();

  /**
   * Drains until `signal` aborts (the session ends). A session's drain starts only once the
   * previous session's drain has finished its send: a request outliving its session (a hung
   * connection, a slow webhook) would otherwise let the next entry — for a device, its newer
   * report — reach the apiserver first, and the older one land on top of it.
   */
  run(signal: AbortSignal): Promise<void> {
    const next = this.previous.catch(() => undefined).then(() => this.drain(signal));
    this.previous = next;
    return next;
  }

  private async drain(signal: AbortSignal): Promise<void> {
    const backoff = new Backoff(200, 10_000);
    const paused = new Backoff(1_000, 60_000);
    while (!signal.aborted) {
      const entry = this.outbox.take();
      if (!entry) {
        await this.waitForWork(signal);
        continue;
      }
      try {
        await this.send(entry);
        this.outbox.ack(entry.seq);
        this.sent.inc({ kind: entry.kind });
        this.hooks.delivered?.observe((Date.now() - entry.createdAt) / 1000, { kind: entry.kind });
        backoff.reset();
        paused.reset();
      } catch (error) {
        if (isCredentialRefusal(error)) {
          this.outbox.release(entry.seq, error, false);
          this.hooks.credentialRefusals.inc();
          this.log.warn({ err: error }, "credentials refused; outbox kept, drain paused");
          await sleep(paused.next(), signal);
          this.hooks.reloadCredentials();
        } else if (isRetryable(error)) {
          this.outbox.release(entry.seq, error);
          if (error instanceof ConnectionError) throw error;
          this.log.warn(
            { seq: entry.seq, kind: entry.kind, err: error },
            "report failed; retrying",
          );
          await sleep(backoff.next(), signal);
        } else if (entry.attempts + 1 >= (this.hooks.deadLetterAfter ?? DEAD_LETTER_AFTER)) {
          this.outbox.deadLetter(entry.seq, error);
          this.hooks.deadLettered.inc({ kind: entry.kind });
          this.log.error(
            { seq: entry.seq, kind: entry.kind, key: entry.key, err: error },
            "report refused for good; moved to the dead letters",
          );
        } else {
          // A webhook's 4xx may be transient (Pepr turns a failed lookup into one): retry.
          this.outbox.release(entry.seq, error);
          this.log.warn({ seq: entry.seq, kind: entry.kind, err: error }, "report refused");
          await sleep(backoff.next(), signal);
        }
      }
    }
  }

  private waitForWork(signal: AbortSignal): Promise<void> {
    return new Promise(resolve => {
      const off = this.outbox.onEnqueue(done);
      // Also wake periodically: entries released by a failed send need no new enqueue.
      const timer = setTimeout(done, 5_000);
      signal.addEventListener("abort", done, { once: true });
      function done(): void {
        off();
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      }
    });
  }

  private async send(entry: OutboxEntry): Promise<void> {
    switch (entry.kind) {
      case OutboxKind.DeviceStatus:
        return this.sendDeviceStatus(entry.payload as DeviceStatusReport);
      case OutboxKind.PodStatus:
        return this.sendPodStatus(entry.payload as PodStatusReport);
      case OutboxKind.Event:
        return this.sendEvent(entry);
      case OutboxKind.PodDelete:
        return this.deletePod(entry.payload as PodDeleteRequest);
      default:
        throw new ApiError(400, "BadRequest", `unknown outbox kind "${entry.kind}"`);
    }
  }

  /** A merge patch is idempotent: sending the same report twice leaves the same object. */
  private async sendDeviceStatus(r: DeviceStatusReport): Promise<void> {
    const path = `/apis/${DEVICES_API_VERSION}/namespaces/${r.namespace}/${DEVICE_PLURAL}/${r.name}`;
    await this.client.request("PATCH", path, {
      body: deviceStatusPatchBody(r),
      contentType: "application/merge-patch+json",
    });
  }

  private async sendPodStatus(r: PodStatusReport): Promise<void> {
    await this.client.request("PATCH", `/api/v1/namespaces/${r.namespace}/pods/${r.name}/status`, {
      body: { status: r.status },
      contentType: "application/merge-patch+json",
    });
  }

  /** Gone already (404) or re-created with another uid (409): nothing left to delete. */
  private async deletePod(r: PodDeleteRequest): Promise<void> {
    try {
      await this.client.request("DELETE", `/api/v1/namespaces/${r.namespace}/pods/${r.name}`, {
        body: {
          apiVersion: "v1",
          kind: "DeleteOptions",
          gracePeriodSeconds: 0,
          preconditions: { uid: r.uid },
        },
      });
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 409)) return;
      throw error;
    }
  }

  /**
   * The Event's name derives from the entry (creation time + seq), so a resend after a crash
   * gets 409 AlreadyExists, which counts as delivered: exactly once.
   */
  private async sendEvent(entry: OutboxEntry): Promise<void> {
    const e = entry.payload as NodeEventReport;
    const namespace = e.involvedObject?.namespace ?? "default";
    const name = `${this.nodeName}.${entry.createdAt.toString(16)}.${entry.seq}`;
    const time = new Date(entry.createdAt).toISOString().replace(/\.\d+Z$/, "Z");
    const body = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace },
      involvedObject: e.involvedObject ?? { kind: "Node", name: this.nodeName, uid: this.nodeName },
      reason: e.reason,
      message: e.message,
      type: e.type ?? "Normal",
      source: { component: "kubeedge-edge", host: this.nodeName },
      firstTimestamp: time,
      lastTimestamp: time,
      count: 1,
    };
    try {
      await this.client.request("POST", `/api/v1/namespaces/${namespace}/events`, { body });
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) return;
      throw error;
    }
  }
}
