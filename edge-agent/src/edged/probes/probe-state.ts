import type { Probe } from "../pod.js";

export type ProbeKind = "liveness" | "readiness" | "startup";
export type ProbeResult = "success" | "failure";

/** kubelet's defaults for a probe's timing and thresholds. */
export function probeTiming(p: Probe) {
  return {
    initialDelayMs: (p.initialDelaySeconds ?? 0) * 1000,
    periodMs: (p.periodSeconds ?? 10) * 1000,
    timeoutSeconds: p.timeoutSeconds ?? 1,
    successThreshold: p.successThreshold ?? 1,
    failureThreshold: p.failureThreshold ?? 3,
  };
}

export interface ProbeState {
  /** The result kubelet acts on: it changes only after `threshold` equal results in a row. */
  result: ProbeResult;
  /** The last raw result and how many times in a row it came. */
  last?: ProbeResult;
  streak: number;
}

/**
 * Before the first probe, readiness is failure (not ready until proven), liveness and
 * startup are success (a container is presumed alive) — kubelet's initial values.
 */
export const initialProbeState = (kind: ProbeKind): ProbeState => ({
  result: kind === "readiness" ? "failure" : "success",
  streak: 0,
});

/** The state after one probe: the kubelet result flips after successThreshold/failureThreshold. */
export function recordProbe(state: ProbeState, raw: ProbeResult, p: Probe): ProbeState {
  const { successThreshold, failureThreshold } = probeTiming(p);
  const streak = raw === state.last ? state.streak + 1 : 1;
  const threshold = raw === "success" ? successThreshold : failureThreshold;
  return { result: streak >= threshold ? raw : state.result, last: raw, streak };
}
