import type { ContainerSpec } from "../pod.js";
import type { Waiting } from "../sync/plan.js";
import type { ContainerView } from "../sync/runtime-view.js";

/** core/v1 ContainerStatus, as edged reports it. */
export interface ContainerStatusReport {
  name: string;
  state: ContainerStateReport;
  lastState: ContainerStateReport;
  ready: boolean;
  started: boolean;
  restartCount: number;
  image: string;
  imageID: string;
  containerID?: string;
}

export type ContainerStateReport =
  | { running: { startedAt: string } }
  | {
      terminated: {
        exitCode: number;
        reason: string;
        message?: string;
        startedAt?: string;
        finishedAt?: string;
        containerID: string;
      };
    }
  | { waiting: { reason: string; message?: string } }
  | Record<string, never>;

/** Kubernetes' time format: RFC 3339, seconds precision. */
export const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");

export const runtimeContainerId = (id: string): string => `containerd://${id}`;

export function terminatedState(v: ContainerView): ContainerStateReport {
  const reason = v.reason || (v.exitCode === 0 ? "Completed" : "Error");
  return {
    terminated: {
      exitCode: v.exitCode,
      reason,
      ...(v.message ? { message: v.message } : {}),
      ...(v.startedAtMs > 0 ? { startedAt: rfc3339(v.startedAtMs) } : {}),
      ...(v.finishedAtMs > 0 ? { finishedAt: rfc3339(v.finishedAtMs) } : {}),
      containerID: runtimeContainerId(v.id),
    },
  };
}

function stateOf(v: ContainerView | undefined, waiting: Waiting | undefined): ContainerStateReport {
  if (waiting) return { waiting: { reason: waiting.reason, message: waiting.message } };
  if (!v) return { waiting: { reason: "ContainerCreating" } };
  if (v.state === "CONTAINER_RUNNING") return { running: { startedAt: rfc3339(v.startedAtMs) } };
  if (v.state === "CONTAINER_EXITED") return terminatedState(v);
  return { waiting: { reason: "ContainerCreating" } };
}

/**
 * One container's status from its two newest runs (the latest is `state`, the one before is
 * `lastState`, as kubelet keeps them), the reason it waits if it does, and readiness.
 */
export function containerStatus(
  spec: ContainerSpec,
  runs: readonly ContainerView[],
  waiting: Waiting | undefined,
  ready: boolean,
): ContainerStatusReport {
  const [last, previous] = runs;
  // A container waiting to be restarted shows its last run as lastState (kubelet's view).
  const lastRun = waiting && last?.state === "CONTAINER_EXITED" ? last : previous;
  const running = last?.state === "CONTAINER_RUNNING" && !waiting;
  return {
    name: spec.name,
    state: stateOf(last, waiting),
    lastState: lastRun?.state === "CONTAINER_EXITED" ? terminatedState(lastRun) : {},
    ready: running && ready,
    started: running,
    restartCount: last?.restartCount ?? 0,
    image: spec.image,
    imageID: last?.imageRef ?? "",
    ...(last ? { containerID: runtimeContainerId(last.id) } : {}),
  };
}
