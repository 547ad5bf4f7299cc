import type { Histogram } from "../../observability/metrics.js";

/** The steps of a new pod's start that edged times, in the order they happen. */
export type PodStartPhase =
  /** The pod reached edged (watch → store → bus) until its first sync began. */
  | "queue"
  /** TokenRequest for the projected service account token. */
  | "token"
  /** Writing the pod's volumes (configMap, secret, projected …). */
  | "volumes"
  /** CRI RunPodSandbox (containerd runs the pause container and the CNI plugins) + its IP. */
  | "sandbox"
  /** CRI ImageStatus (or a pull) for a container's image. */
  | "image"
  | "create_container"
  | "start_container"
  /** Re-reading the pod from the runtime after acting on it. */
  | "relist"
  /** From reaching edged until its Running status is queued for the apiserver. */
  | "total";

/**
 * Times the phases of each new pod's start, from the moment edged hears of it until its first
 * Running status is queued, into one histogram labelled by phase. Pods adopted at start and
 * later restarts are not timed: only the path a freshly bound pod takes.
 */
export class PodStartTiming {
  /** uid → when edged heard of it; present while the pod is starting. */
  private readonly arrivals = new Map<string, number>();
  /** Starting pods whose first sync has begun (their queue time is observed). */
  private readonly syncing = new Set<string>();

  constructor(
    private readonly histogram: Histogram,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A pod with a new uid reached edged. */
  arrived(uid: string): void {
    if (!this.arrivals.has(uid)) this.arrivals.set(uid, this.now());
  }

  /** A sync of the pod begins; the first one ends its queue time. */
  syncBegins(uid: string): void {
    const at = this.arrivals.get(uid);
    if (at === undefined || this.syncing.has(uid)) return;
    this.syncing.add(uid);
    this.observe("queue", this.now() - at);
  }

  /** Runs `step`, timing it as `phase` when the pod is starting. */
  async time<T>(uid: string, phase: PodStartPhase, step: () => T | Promise<T>): Promise<T> {
    if (!this.arrivals.has(uid)) return step();
    const t0 = this.now();
    try {
      return await step();
    } finally {
      this.observe(phase, this.now() - t0);
    }
  }

  /** The pod's status says Running: its start is over. */
  running(uid: string): void {
    const at = this.arrivals.get(uid);
    if (at === undefined) return;
    this.observe("total", this.now() - at);
    this.forget(uid);
  }

  forget(uid: string): void {
    this.arrivals.delete(uid);
    this.syncing.delete(uid);
  }

  private observe(phase: PodStartPhase, ms: number): void {
    this.histogram.observe(ms / 1000, { phase });
  }
}

/** `step` timed as `phase` by `timing` when there is one (edged without metrics: untimed). */
export function timed<T>(
  timing: PodStartTiming | undefined,
  uid: string,
  phase: PodStartPhase,
  step: () => T | Promise<T>,
): Promise<T> {
  return timing ? timing.time(uid, phase, step) : Promise.resolve().then(step);
}
