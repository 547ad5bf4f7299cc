/** The figures of one edgemark run, as printed and as written with --json. */
import { percentile } from "../cloud-cluster.js";
import type { CostWindow } from "./cloud-cost.js";
import type { LatencyTracker } from "./latency.js";
import type { NodeHealth } from "./node-health.js";
import type { EdgemarkOptions } from "./run.js";

export interface LatencyFigures {
  sent: number;
  arrived: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Values overtaken by a newer one of the same device before they arrived. */
  overtaken: number;
  /** Values that never arrived (nor were overtaken) by the end of the run. */
  lost: number;
}

export interface EdgemarkResult {
  params: Omit<EdgemarkOptions, "progress" | "clusterDir">;
  machine: { nproc: number; loadStart: number[]; loadEnd: number[] };
  timings: Record<string, number>;
  cost: CostWindow;
  openWatches: number;
  /** The hollow agents' own counters over the steady window, summed over the fleet. */
  edgeCounters: Record<string, number>;
  nodes: { total: number; readyAtEnd: number; notReadyFlaps: number; flapped: string[] };
  leases: { renewals: number; latenessP50Ms: number; latenessP99Ms: number; misses: number };
  /** Mapper report at the hollow node → value in the Device's status in the apiserver. */
  reportedToStatus: LatencyFigures & { withinTwoCycles: number };
  /** Desired change in the cloud → delta published by the hollow node's DeviceTwin. */
  desiredToDelta: LatencyFigures;
  /** What did not finish (a missed deadline in the last phase is reported, not thrown). */
  problems: string[];
}

function latency(t: LatencyTracker): LatencyFigures {
  const s = t.samplesMs;
  const pick = (p: number): number => (s.length === 0 ? 0 : Math.round(percentile(s, p)));
  return {
    sent: t.sent,
    arrived: s.length,
    p50Ms: pick(50),
    p99Ms: pick(99),
    maxMs: pick(100),
    overtaken: t.superseded,
    lost: t.outstanding(),
  };
}

export function summarize(r: {
  options: EdgemarkOptions;
  machine: EdgemarkResult["machine"];
  timings: Record<string, number>;
  cost: CostWindow;
  openWatches: number;
  edgeCounters: Record<string, number>;
  health: NodeHealth;
  reported: LatencyTracker;
  desired: LatencyTracker;
  reportSeconds: number;
  problems: string[];
}): EdgemarkResult {
  const { progress: _progress, clusterDir: _dir, ...params } = r.options;
  const lateness = r.health.latenessMs;
  const reported = latency(r.reported);
  const twoCycles = 2 * r.reportSeconds * 1000;
  const within = r.reported.samplesMs.filter(ms => ms <= twoCycles).length;
  return {
    params,
    machine: r.machine,
    timings: r.timings,
    cost: r.cost,
    openWatches: r.openWatches,
    edgeCounters: r.edgeCounters,
    nodes: {
      total: r.options.nodes,
      readyAtEnd: r.health.readyCount(),
      notReadyFlaps: r.health.flaps.length,
      flapped: [...new Set(r.health.flaps.map(f => f.node))].slice(0, 20),
    },
    leases: {
      renewals: lateness.length,
      latenessP50Ms: lateness.length ? Math.round(percentile(lateness, 50)) : 0,
      latenessP99Ms: lateness.length ? Math.round(percentile(lateness, 99)) : 0,
      misses: r.health.misses,
    },
    reportedToStatus: {
      ...reported,
      withinTwoCycles:
        r.reported.sent === 0 ? 0 : Math.round((within / r.reported.sent) * 1000) / 1000,
    },
    desiredToDelta: latency(r.desired),
    problems: r.problems,
  };
}
