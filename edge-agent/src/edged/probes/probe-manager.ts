import type { Logger } from "pino";
import type { Cri } from "../cri/client.js";
import type { ContainerSpec, Pod, Probe } from "../pod.js";
import type { PodRuntime } from "../sync/runtime-view.js";
import {
  initialProbeState,
  probeTiming,
  recordProbe,
  type ProbeKind,
  type ProbeState,
} from "./probe-state.js";
import { runProbe } from "./run-probe.js";

interface Worker {
  timer: NodeJS.Timeout;
  state: ProbeState;
}

const KINDS: readonly ProbeKind[] = ["startup", "liveness", "readiness"];
const probeOf = (c: ContainerSpec, kind: ProbeKind): Probe | undefined => c[`${kind}Probe`];

/**
 * One periodic worker per running container and probe kind (kubelet's prober workers).
 * Liveness and readiness wait for the startup probe to succeed; a liveness or startup probe
 * that reaches its failure threshold marks the container unhealthy (the pod manager kills it,
 * and restartPolicy decides what comes next); readiness only changes `ready`.
 */
export class ProbeManager {
  private readonly workers = new Map<string, Worker>();

  constructor(
    private readonly cri: Cri,
    private readonly log: Logger,
    private readonly onChange: () => void,
  ) {}

  /** Starts workers for the pod's running containers, stops those of containers that ended. */
  sync(pod: Pod, rt: PodRuntime | undefined, podIP: string): void {
    const live = new Set<string>();
    for (const c of pod.spec.containers) {
      const run = rt?.containers.find(v => v.name === c.name && v.kind === "regular");
      if (!run || run.state !== "CONTAINER_RUNNING") continue;
      for (const kind of KINDS) {
        const probe = probeOf(c, kind);
        if (!probe) continue;
        const key = `${pod.metadata.uid}/${run.id}/${kind}`;
        live.add(key);
        if (!this.workers.has(key))
          this.startWorker(key, kind, probe, c, run.id, run.startedAtMs, podIP);
      }
    }
    for (const [key, w] of this.workers) {
      if (key.startsWith(`${pod.metadata.uid}/`) && !live.has(key)) {
        clearInterval(w.timer);
        this.workers.delete(key);
      }
    }
  }

  /** Stops every worker of a pod that is gone. */
  forget(uid: string): void {
    for (const [key, w] of this.workers) {
      if (key.startsWith(`${uid}/`)) {
        clearInterval(w.timer);
        this.workers.delete(key);
      }
    }
  }

  stopAll(): void {
    for (const w of this.workers.values()) clearInterval(w.timer);
    this.workers.clear();
  }

  /** Readiness by container id, for containers with a readiness or startup probe. */
  readiness(): Map<string, boolean> {
    const ready = new Map<string, boolean>();
    for (const [key, w] of this.workers) {
      const [, id, kind] = key.split("/");
      if (kind === "liveness") continue;
      const ok = w.state.result === "success" && this.startupDone(key.replace(/\/[a-z]+$/, ""));
      ready.set(id!, (ready.get(id!) ?? true) && ok);
    }
    return ready;
  }

  /** Containers a liveness or startup probe declared dead. */
  unhealthy(): Set<string> {
    const dead = new Set<string>();
    for (const [key, w] of this.workers) {
      const [, id, kind] = key.split("/");
      if (kind !== "readiness" && w.state.result === "failure") dead.add(id!);
    }
    return dead;
  }

  private startupDone(prefix: string): boolean {
    const startup = this.workers.get(`${prefix}/startup`);
    return !startup || (startup.state.last === "success" && startup.state.result === "success");
  }

  private startWorker(
    key: string,
    kind: ProbeKind,
    probe: Probe,
    c: ContainerSpec,
    containerId: string,
    startedAtMs: number,
    podIP: string,
  ): void {
    const timing = probeTiming(probe);
    const prefix = key.replace(/\/[a-z]+$/, "");
    let running = false;
    const tick = async (): Promise<void> => {
      const worker = this.workers.get(key);
      if (!worker || running || Date.now() < startedAtMs + timing.initialDelayMs) return;
      if (kind !== "startup" && !this.startupDone(prefix)) return;
      running = true;
      const target = { cri: this.cri, containerId, podIP, timeoutSeconds: timing.timeoutSeconds };
      const raw = await runProbe(probe, c, target);
      running = false;
      const before = worker.state.result;
      worker.state = recordProbe(worker.state, raw, probe);
      if (worker.state.result !== before) {
        this.log.info(
          { container: c.name, probe: kind, result: worker.state.result },
          "probe result changed",
        );
        this.onChange();
      }
    };
    const timer = setInterval(() => void tick(), timing.periodMs);
    timer.unref();
    this.workers.set(key, { timer, state: initialProbeState(kind) });
    setTimeout(() => void tick(), Math.min(timing.initialDelayMs, timing.periodMs)).unref();
  }
}
