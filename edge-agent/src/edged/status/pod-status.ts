import type { Pod } from "../pod.js";
import { qosClass } from "../spec/resources.js";
import type { Rejection } from "../sync/admission.js";
import type { Waiting } from "../sync/plan.js";
import type { ContainerView, PodRuntime } from "../sync/runtime-view.js";
import { containerStatus, rfc3339, type ContainerStatusReport } from "./container-status.js";

export type PodPhase = "Pending" | "Running" | "Succeeded" | "Failed";

export interface PodStatusInputs {
  /** Why containers wait, by container name (from the plan and the executor). */
  waiting: ReadonlyMap<string, Waiting>;
  /** Readiness of a running container by id (probes); absent = ready. */
  readiness: ReadonlyMap<string, boolean>;
  hostIP: string;
  podIP: string;
  /** When edged first took the pod (ms). */
  startTimeMs: number;
  /** Set when edged cannot run the pod at all (malformed spec, unservable volume). */
  problem?: { reason: string; message: string };
}

export interface PodStatusReportBody {
  phase: PodPhase;
  conditions: { type: string; status: "True" | "False"; reason?: string; message?: string }[];
  hostIP: string;
  hostIPs: { ip: string }[];
  podIP?: string;
  podIPs?: { ip: string }[];
  startTime: string;
  qosClass: string;
  initContainerStatuses?: ContainerStatusReport[];
  containerStatuses: ContainerStatusReport[];
  reason?: string;
  message?: string;
}

const runsOf = (rt: PodRuntime | undefined, name: string, kind: ContainerView["kind"]) =>
  (rt?.containers ?? []).filter(c => c.name === name && c.kind === kind);

/** kubelet's getPhase for the regular containers. */
function phaseOf(
  pod: Pod,
  statuses: readonly ContainerStatusReport[],
  initDone: boolean,
  initFailed: boolean,
): PodPhase {
  if (initFailed) return "Failed";
  if (!initDone) return "Pending";
  let running = 0;
  let waiting = 0;
  let failed = 0;
  for (const s of statuses) {
    // A container waiting to restart counts by its last run, as kubelet counts it.
    const ended =
      "terminated" in s.state ? s.state : "terminated" in s.lastState ? s.lastState : undefined;
    if ("running" in s.state) running++;
    else if (ended) failed += ended.terminated.exitCode === 0 ? 0 : 1;
    else waiting++;
  }
  if (waiting > 0) return "Pending";
  if (running > 0) return "Running";
  const policy = pod.spec.restartPolicy ?? "Always";
  if (policy === "Always") return "Running";
  if (failed === 0) return "Succeeded";
  return policy === "OnFailure" ? "Running" : "Failed";
}

const condition = (type: string, ok: boolean, reason?: string) => ({
  type,
  status: ok ? ("True" as const) : ("False" as const),
  ...(ok || !reason ? {} : { reason }),
});

/**
 * The pod's status as kubelet reports it: phase, the four conditions, init and regular
 * container statuses, IPs, start time and QoS class. Pure.
 */
export function podStatus(
  pod: Pod,
  rt: PodRuntime | undefined,
  inputs: PodStatusInputs,
): PodStatusReportBody {
  const ready = (v: ContainerView | undefined): boolean =>
    !v || (inputs.readiness.get(v.id) ?? true);
  const initStatuses = (pod.spec.initContainers ?? []).map(c => {
    const runs = runsOf(rt, c.name, "init");
    return containerStatus(c, runs, inputs.waiting.get(c.name), ready(runs[0]));
  });
  const initDone = initStatuses.every(
    s => "terminated" in s.state && s.state.terminated.exitCode === 0,
  );
  const initFailed =
    pod.spec.restartPolicy === "Never" &&
    initStatuses.some(s => "terminated" in s.state && s.state.terminated.exitCode !== 0);
  const statuses = pod.spec.containers.map(c => {
    const runs = runsOf(rt, c.name, "regular");
    return containerStatus(c, runs, inputs.waiting.get(c.name), ready(runs[0]));
  });
  const phase = inputs.problem ? "Pending" : phaseOf(pod, statuses, initDone, initFailed);
  const containersReady = statuses.every(s => s.ready);
  const notReady = phase === "Succeeded" ? "PodCompleted" : "ContainersNotReady";
  const body: PodStatusReportBody = {
    phase,
    conditions: [
      condition("PodScheduled", true),
      condition("Initialized", initDone, "ContainersNotInitialized"),
      condition("ContainersReady", containersReady, notReady),
      condition("Ready", containersReady, notReady),
    ],
    hostIP: inputs.hostIP,
    hostIPs: [{ ip: inputs.hostIP }],
    ...(inputs.podIP ? { podIP: inputs.podIP, podIPs: [{ ip: inputs.podIP }] } : {}),
    startTime: rfc3339(inputs.startTimeMs),
    qosClass: qosClass(pod.spec.containers),
    containerStatuses: statuses,
  };
  if (initStatuses.length > 0) body.initContainerStatuses = initStatuses;
  if (inputs.problem) Object.assign(body, inputs.problem);
  return body;
}

/** The status of a pod the node refused: Failed, with kubelet's reason and message. */
export function rejectedStatus(
  r: Rejection,
  hostIP: string,
  startTimeMs: number,
): PodStatusReportBody {
  return {
    phase: "Failed",
    reason: r.reason,
    message: `Pod was rejected: ${r.message}`,
    conditions: [],
    hostIP,
    hostIPs: [{ ip: hostIP }],
    startTime: rfc3339(startTimeMs),
    qosClass: "",
    containerStatuses: [],
  };
}
