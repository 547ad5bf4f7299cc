import type { ContainerSpec, Pod, RestartPolicy } from "../pod.js";
import { containerHash, type ContainerKind } from "../spec/container-config.js";
import type { Backoff } from "./backoff.js";
import type { ContainerView, PodRuntime } from "./runtime-view.js";

/** One step the executor takes against the runtime, in order. */
export type Action =
  | { type: "createSandbox"; attempt: number }
  | { type: "removeSandbox"; id: string }
  | {
      type: "startContainer";
      container: ContainerSpec;
      kind: ContainerKind;
      restartCount: number;
      /** Set for a restart after a failure: the executor counts it against the back-off. */
      backoffKey?: string;
    }
  | { type: "killContainer"; id: string; name: string; reason: string; gracePeriodSeconds: number }
  | { type: "removeContainer"; id: string };

export interface Waiting {
  reason: string;
  message: string;
}

export interface Plan {
  actions: Action[];
  /** Containers that wait, and why (status reasons such as CrashLoopBackOff). */
  waiting: Map<string, Waiting>;
}

export interface PlanInputs {
  backoff: Backoff;
  nowMs: number;
  /** Containers whose liveness probe failed: killed, then restarted by policy. */
  unhealthy: ReadonlySet<string>;
}

export const backoffKey = (pod: Pod, c: ContainerSpec): string =>
  `${pod.metadata.uid}/${c.name}/${containerHash(c)}`;

export function shouldRestart(policy: RestartPolicy | undefined, exitCode: number): boolean {
  if (policy === "Never") return false;
  if (policy === "OnFailure") return exitCode !== 0;
  return true;
}

const latest = (views: readonly ContainerView[], name: string, kind: ContainerKind) =>
  views.find(c => c.name === name && c.kind === kind);

/** Restart count of the next run of a container: one more than any earlier run's. */
const nextRestartCount = (
  rt: PodRuntime | undefined,
  name: string,
  kind: ContainerKind,
): number => {
  const prev = rt && latest(rt.containers, name, kind);
  return prev ? prev.restartCount + 1 : 0;
};

/** Whether the pod still has work: false once every container ended for good (Succeeded/Failed). */
export function podWantsToRun(pod: Pod, rt: PodRuntime | undefined): boolean {
  if ((pod.spec.restartPolicy ?? "Always") === "Always") return true;
  return pod.spec.containers.some(c => {
    const last = rt && latest(rt.containers, c.name, "regular");
    return (
      !last ||
      last.state !== "CONTAINER_EXITED" ||
      shouldRestart(pod.spec.restartPolicy, last.exitCode)
    );
  });
}

/**
 * What to do next for one pod, as kubelet's computePodActions: a ready sandbox (a new one
 * restarts everything), init containers one at a time in order, then every container, each
 * restarted by the pod's restartPolicy with back-off; a changed spec restarts its container.
 * Pure: the runtime view and the clock are inputs.
 */
export function planPod(pod: Pod, rt: PodRuntime | undefined, inputs: PlanInputs): Plan {
  const plan: Plan = { actions: [], waiting: new Map() };
  const sandbox = rt?.sandboxes.find(s => s.ready);
  for (const s of rt?.sandboxes ?? []) {
    if (s !== sandbox) plan.actions.push({ type: "removeSandbox", id: s.id });
  }
  if (!sandbox && !podWantsToRun(pod, rt)) return plan;
  if (!sandbox) {
    const attempt =
      rt && rt.sandboxes.length > 0 ? Math.max(...rt.sandboxes.map(s => s.attempt)) + 1 : 0;
    plan.actions.push({ type: "createSandbox", attempt });
  }
  const current = sandbox ? rt!.containers.filter(c => c.sandboxId === sandbox.id) : [];
  collectGarbage(pod, current, plan);
  if (!planInitContainers(pod, rt, current, inputs, plan)) return plan;
  for (const c of pod.spec.containers) planContainer(pod, c, rt, current, inputs, plan);
  return plan;
}

/** True when every init container has completed. */
function planInitContainers(
  pod: Pod,
  rt: PodRuntime | undefined,
  current: readonly ContainerView[],
  inputs: PlanInputs,
  plan: Plan,
): boolean {
  for (const c of pod.spec.initContainers ?? []) {
    const last = latest(current, c.name, "init");
    const restartCount = nextRestartCount(rt, c.name, "init");
    if (!last) {
      plan.actions.push({ type: "startContainer", container: c, kind: "init", restartCount });
      return false;
    }
    if (last.state === "CONTAINER_EXITED" && last.exitCode === 0) continue;
    if (last.state === "CONTAINER_EXITED" && pod.spec.restartPolicy !== "Never") {
      restartAfterBackoff(pod, c, last, "init", restartCount, inputs, plan);
    } else if (last.state === "CONTAINER_CREATED" || last.state === "CONTAINER_UNKNOWN") {
      plan.actions.push({ type: "removeContainer", id: last.id });
      plan.actions.push({ type: "startContainer", container: c, kind: "init", restartCount });
    }
    return false;
  }
  return true;
}

function planContainer(
  pod: Pod,
  c: ContainerSpec,
  rt: PodRuntime | undefined,
  current: readonly ContainerView[],
  inputs: PlanInputs,
  plan: Plan,
): void {
  const last = latest(current, c.name, "regular");
  const restartCount = nextRestartCount(rt, c.name, "regular");
  const start = { type: "startContainer", container: c, kind: "regular", restartCount } as const;
  if (!last) return void plan.actions.push(start);
  const kill = (reason: string) =>
    plan.actions.push({
      type: "killContainer",
      id: last.id,
      name: c.name,
      reason,
      gracePeriodSeconds: last.gracePeriodSeconds,
    });
  if (last.state === "CONTAINER_RUNNING") {
    if (last.hash !== containerHash(c)) {
      kill("spec changed");
      plan.actions.push(start);
    } else if (inputs.unhealthy.has(last.id)) {
      kill("liveness probe failed");
    }
    return;
  }
  if (last.state !== "CONTAINER_EXITED") {
    plan.actions.push({ type: "removeContainer", id: last.id }, start);
    return;
  }
  if (last.hash !== containerHash(c)) return void plan.actions.push(start);
  if (shouldRestart(pod.spec.restartPolicy, last.exitCode)) {
    restartAfterBackoff(pod, c, last, "regular", restartCount, inputs, plan);
  }
}

function restartAfterBackoff(
  pod: Pod,
  c: ContainerSpec,
  last: ContainerView,
  kind: ContainerKind,
  restartCount: number,
  inputs: PlanInputs,
  plan: Plan,
): void {
  const key = backoffKey(pod, c);
  const ran = last.startedAtMs > 0 ? last.finishedAtMs - last.startedAtMs : 0;
  const wait = inputs.backoff.remainingMs(key, last.finishedAtMs, ran, inputs.nowMs);
  if (wait > 0) {
    const delay = Math.round(inputs.backoff.delayMs(key) / 1000);
    plan.waiting.set(c.name, {
      reason: "CrashLoopBackOff",
      message: `back-off ${delay}s restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
    });
    return;
  }
  plan.actions.push({ type: "startContainer", container: c, kind, restartCount, backoffKey: key });
}

/**
 * Removes what the pod no longer needs: older exited runs of a container (the latest one stays
 * for `kubectl logs --previous` and lastState) and containers no longer in the spec.
 */
function collectGarbage(pod: Pod, current: readonly ContainerView[], plan: Plan): void {
  const names = new Set([
    ...pod.spec.containers.map(c => `regular/${c.name}`),
    ...(pod.spec.initContainers ?? []).map(c => `init/${c.name}`),
  ]);
  const seen = new Map<string, number>();
  for (const c of current) {
    const key = `${c.kind}/${c.name}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (!names.has(key)) {
      if (c.state === "CONTAINER_RUNNING") {
        plan.actions.push({
          type: "killContainer",
          id: c.id,
          name: c.name,
          reason: "not in the spec",
          gracePeriodSeconds: c.gracePeriodSeconds,
        });
      }
      plan.actions.push({ type: "removeContainer", id: c.id });
    } else if (n > 2 && c.state === "CONTAINER_EXITED") {
      plan.actions.push({ type: "removeContainer", id: c.id });
    }
  }
}
