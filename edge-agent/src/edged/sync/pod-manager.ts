import { join } from "node:path";
import type { Logger } from "pino";
import type { Cri } from "../cri/client.js";
import { parsePod, podKey, type Pod } from "../pod.js";
import type { ObjectSource } from "../spec/objects.js";
import {
  podStatus,
  rejectedStatus,
  type PodPhase,
  type PodStatusReportBody,
} from "../status/pod-status.js";
import { podDirectory, setUpVolumes } from "../volumes/pod-volumes.js";
import type { ServiceAccountTokens } from "../volumes/service-account-tokens.js";
import { admitPod, type Allocatable, type Rejection } from "./admission.js";
import { Backoff } from "./backoff.js";
import { executePlan, type ExecutorDeps, type PodRun } from "./executor.js";
import { ImagePuller } from "./images.js";
import { MalformedPods } from "./malformed-pods.js";
import { planPod, type Plan } from "./plan.js";
import { PodTeardown } from "./pod-teardown.js";
import { Relister } from "./relist.js";
import type { PodRuntime } from "./runtime-view.js";
import { timed, type PodStartTiming } from "./start-timing.js";

export interface PodManagerDeps {
  cri: Cri;
  nodeName: string;
  /** edged's directory: pod volumes under `pods/`, container logs under `logs/`. */
  rootDir: string;
  hostIP: string;
  /** What the node reports allocatable: pods beyond it are refused (OutOfcpu …). */
  allocatable: Allocatable;
  objects: ObjectSource;
  /** The pods bound to this node, as the local store has them (unparsed: may be malformed). */
  listPods(): unknown[];
  reportStatus(pod: Pod, status: PodStatusReportBody): void;
  reportEvent(pod: Pick<Pod, "metadata">, reason: string, message: string): void;
  /** The pod is stopped and cleaned up: ask for its final, uid-preconditioned delete. */
  requestDelete(pod: Pod): void;
  /** Readiness and liveness of containers (probes); absent = no probes. */
  probes?: {
    readiness(): ReadonlyMap<string, boolean>;
    unhealthy(): ReadonlySet<string>;
    sync(pod: Pod, runtime: PodRuntime | undefined, podIP: string): void;
    forget(uid: string): void;
  };
  /** Projected service account tokens (TokenRequest); absent = pods get no token file. */
  tokens?: ServiceAccountTokens;
  /** Times each new pod's start by phase; absent = untimed. */
  timing?: PodStartTiming;
  log: Logger;
  now?: () => number;
}

interface PodState {
  startTimeMs: number;
  podIP: string;
  lastStatus?: string;
  phase?: PodPhase;
  lastEvent?: string;
  terminated?: boolean;
  /** Admitted pods run; a rejected one never does (kubelet's admission). */
  admitted?: boolean;
  rejected?: Rejection;
  /** When the last sandbox creation failed (ms); retries wait out the back-off. */
  sandboxFailedAtMs?: number;
}

/**
 * Runs the node's pods through CRI from the local store (so it works with the cloud away):
 * each tick relists the runtime once, then brings every pod towards its spec on its own
 * (one pod's failure or slowness does not hold up the others), cleans up what no stored pod
 * owns, and reports statuses that changed.
 */
export class PodManager {
  private readonly states = new Map<string, PodState>();
  private readonly busy = new Map<string, Promise<void>>();
  private readonly malformed: MalformedPods;
  private readonly relister: Relister;
  private readonly exec: ExecutorDeps;
  private readonly restarts = new Backoff();
  private readonly now: () => number;
  readonly logRoot: string;
  readonly podsRoot: string;
  private readonly objects: ObjectSource;
  private readonly teardown: PodTeardown;

  constructor(private readonly deps: PodManagerDeps) {
    this.now = deps.now ?? Date.now;
    this.malformed = new MalformedPods(deps.log, deps.reportEvent);
    this.relister = new Relister(deps.cri, deps.nodeName);
    this.logRoot = join(deps.rootDir, "logs");
    this.podsRoot = join(deps.rootDir, "pods");
    const { tokens } = deps;
    this.objects = tokens
      ? { ...deps.objects, serviceAccountToken: (pod, p) => tokens.token(pod, p) }
      : deps.objects;
    this.exec = {
      cri: deps.cri,
      nodeName: deps.nodeName,
      logRoot: this.logRoot,
      hostIP: deps.hostIP,
      objects: deps.objects,
      images: new ImagePuller(deps.cri, new Backoff(), this.now),
      restarts: this.restarts,
      log: deps.log,
      ...(deps.timing ? { timing: deps.timing } : {}),
    };
    const images = this.exec.images;
    this.teardown = new PodTeardown(deps.cri, { podsRoot: this.podsRoot, logRoot: this.logRoot }, [
      uid => deps.probes?.forget(uid),
      uid => deps.tokens?.forget(uid),
      uid => this.restarts.forget(`${uid}/`),
      uid => images.forget(uid),
      uid => deps.timing?.forget(uid),
    ]);
  }

  /** Pods whose last reported phase is Running. */
  runningCount(): number {
    return [...this.states.values()].filter(s => s.phase === "Running").length;
  }

  /** Waits for the pod syncs in flight (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all(this.busy.values());
  }

  async tick(): Promise<void> {
    const runtime = await this.relister.relist();
    const seen = new Set<string>();
    const admitted: Pod[] = [];
    for (const raw of this.deps.listPods()) {
      const parsed = parsePod(raw);
      if ("error" in parsed) {
        this.malformed.note(raw, parsed.error);
        continue;
      }
      const { pod } = parsed;
      seen.add(pod.metadata.uid);
      const rt = runtime.get(pod.metadata.uid);
      if (!pod.metadata.deletionTimestamp && !this.admit(pod, rt, admitted)) continue;
      this.spawn(pod.metadata.uid, () =>
        pod.metadata.deletionTimestamp ? this.terminate(pod, rt) : this.sync(pod, rt),
      );
    }
    for (const [uid, rt] of runtime) {
      if (!seen.has(uid)) this.spawn(uid, () => this.removeOrphan(rt));
    }
    for (const uid of this.states.keys()) {
      if (!seen.has(uid) && !runtime.has(uid)) this.states.delete(uid);
    }
  }

  /** Admits a pod the first time it is seen (adopted pods are in already). False = refused. */
  private admit(pod: Pod, rt: PodRuntime | undefined, admitted: Pod[]): boolean {
    const state = this.state(pod);
    if (state.admitted === undefined) {
      const rejection = rt ? undefined : admitPod(pod, admitted, this.deps.allocatable);
      state.admitted = rejection === undefined;
      if (rejection) {
        state.rejected = rejection;
        this.deps.log.warn({ pod: podKey(pod), ...rejection }, "pod rejected");
        state.phase = "Failed";
        this.deps.reportStatus(pod, rejectedStatus(rejection, this.deps.hostIP, state.startTimeMs));
      }
    }
    if (state.admitted) admitted.push(pod);
    return state.admitted;
  }

  private spawn(uid: string, work: () => Promise<void>): void {
    if (this.busy.has(uid)) return;
    const done = work()
      .catch(err => this.deps.log.warn({ uid, err }, "pod sync failed"))
      .finally(() => this.busy.delete(uid));
    this.busy.set(uid, done);
  }

  private state(pod: Pod): PodState {
    let s = this.states.get(pod.metadata.uid);
    if (!s) {
      const reported = Date.parse(String(pod.status?.startTime ?? ""));
      s = { startTimeMs: Number.isNaN(reported) ? this.now() : reported, podIP: "" };
      this.states.set(pod.metadata.uid, s);
    }
    return s;
  }

  private async sync(pod: Pod, rt: PodRuntime | undefined): Promise<void> {
    const { uid } = pod.metadata;
    this.deps.timing?.syncBegins(uid);
    const state = this.state(pod);
    const sandbox = rt?.sandboxes.find(s => s.ready);
    if (sandbox && !state.podIP) {
      const status = await this.deps.cri.podSandboxStatus(sandbox.id);
      state.podIP = pod.spec.hostNetwork ? this.deps.hostIP : (status.network?.ip ?? "");
    }
    const failedAt = sandbox ? undefined : state.sandboxFailedAtMs;
    const sandboxWaits =
      failedAt !== undefined &&
      this.restarts.remainingMs(`${uid}/sandbox`, failedAt, 0, this.now()) > 0;
    const unhealthy = this.deps.probes?.unhealthy() ?? new Set<string>();
    const plan = planPod(pod, rt, { backoff: this.restarts, nowMs: this.now(), unhealthy });
    const run: PodRun = {
      pod,
      runtime: rt,
      volumes: new Map(),
      podIP: state.podIP,
      waiting: plan.waiting,
      ...(sandbox ? { sandboxId: sandbox.id } : {}),
    };
    const { volumes, acted } = await this.act(plan, run, state, sandboxWaits);
    let current = rt;
    if (acted) {
      state.podIP = run.podIP;
      const relisted = await timed(this.deps.timing, uid, "relist", () =>
        this.relister.relist(uid),
      );
      current = relisted.get(uid);
    }
    if ("error" in volumes) {
      this.event(pod, state, "FailedMount", volumes.error);
      const problem = { reason: "FailedMount", message: volumes.error };
      return this.report(pod, current, state, new Map(), problem);
    }
    if (sandboxWaits) return this.report(pod, current, state, new Map());
    this.deps.probes?.sync(pod, current, state.podIP);
    this.report(pod, current, state, run.waiting);
  }

  /**
   * Prepares the volumes and carries out the plan. A new pod's sandbox (containerd's pause
   * container and the CNI set-up, the slow part) needs none of the volumes: it is created
   * while the token is requested and the volumes are written, not after. The containers wait
   * for both. `acted`: something was done to the runtime (relist it).
   */
  private async act(
    plan: Plan,
    run: PodRun,
    state: PodState,
    sandboxWaits: boolean,
  ): Promise<{ volumes: Awaited<ReturnType<typeof setUpVolumes>>; acted: boolean }> {
    const [first, ...rest] = plan.actions;
    const sandboxFirst = first?.type === "createSandbox" && !sandboxWaits;
    const [volumes, created] = await Promise.all([
      this.prepareVolumes(run.pod, state),
      sandboxFirst ? executePlan({ ...plan, actions: [first] }, run, this.exec) : true,
    ]);
    if (!created) this.sandboxFailed(run.pod, state);
    const remaining = sandboxFirst ? rest : plan.actions;
    if (!created || sandboxWaits || "error" in volumes || remaining.length === 0) {
      return { volumes, acted: sandboxFirst };
    }
    run.volumes = volumes.paths;
    if (!(await executePlan({ ...plan, actions: remaining }, run, this.exec))) {
      this.sandboxFailed(run.pod, state);
    }
    return { volumes, acted: true };
  }

  /** The sandbox could not be created: the next tries wait out the back-off. */
  private sandboxFailed(pod: Pod, state: PodState): void {
    this.restarts.retried(`${pod.metadata.uid}/sandbox`);
    state.sandboxFailedAtMs = this.now();
  }

  /** The pod's service account token (TokenRequest), then its volumes on disk. */
  private async prepareVolumes(pod: Pod, state: PodState) {
    const { uid } = pod.metadata;
    const { timing } = this.deps;
    const fields = { hostIP: this.deps.hostIP, podIP: state.podIP };
    const volumesDir = join(podDirectory(this.podsRoot, uid), "volumes");
    await timed(timing, uid, "token", () =>
      this.deps.tokens?.prepare(pod, (volume, path) => join(volumesDir, volume, path)),
    );
    return timed(timing, uid, "volumes", () =>
      setUpVolumes(this.podsRoot, pod, this.objects, fields),
    );
  }

  private report(
    pod: Pod,
    rt: PodRuntime | undefined,
    state: PodState,
    waiting: ReadonlyMap<string, { reason: string; message: string }>,
    problem?: { reason: string; message: string },
  ): void {
    const status = podStatus(pod, rt, {
      waiting,
      readiness: this.deps.probes?.readiness() ?? new Map(),
      hostIP: this.deps.hostIP,
      podIP: state.podIP,
      startTimeMs: state.startTimeMs,
      ...(problem ? { problem } : {}),
    });
    state.phase = status.phase;
    if (status.phase === "Running") this.deps.timing?.running(pod.metadata.uid);
    const json = JSON.stringify(status);
    if (json === state.lastStatus) return;
    state.lastStatus = json;
    this.deps.reportStatus(pod, status);
  }

  private event(pod: Pod, state: PodState, reason: string, message: string): void {
    if (state.lastEvent === `${reason}:${message}`) return;
    state.lastEvent = `${reason}:${message}`;
    this.deps.log.warn({ pod: podKey(pod), reason, message }, "pod event");
    this.deps.reportEvent(pod, reason, message);
  }

  /** The pod is being deleted: stop its containers within the grace period, clean up, delete. */
  private async terminate(pod: Pod, rt: PodRuntime | undefined): Promise<void> {
    const state = this.state(pod);
    if (state.terminated) return;
    await this.teardown.remove(pod.metadata, rt, pod.spec.terminationGracePeriodSeconds ?? 30);
    state.terminated = true;
    this.deps.log.info({ pod: podKey(pod), uid: pod.metadata.uid }, "pod terminated");
    this.deps.requestDelete(pod);
  }

  /** Sandboxes no stored pod owns (deleted while the agent was away, or force-deleted). */
  private async removeOrphan(rt: PodRuntime): Promise<void> {
    await this.teardown.remove(rt, rt);
    this.deps.log.info(
      { pod: `${rt.namespace}/${rt.name}`, uid: rt.uid },
      "removed pod no longer bound here",
    );
  }
}
