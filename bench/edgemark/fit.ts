/**
 * Per-node cost from several edgemark runs: a least-squares line (cost = base + perNode × N)
 * for each process' CPU (ms/s) and RSS (MiB) and for the apiserver's request rate, and what
 * it extrapolates to at larger fleets. Lines through two or three points on a shared machine
 * are estimates; docs/benchmarks.md says how far to trust them.
 */
import type { EdgemarkResult } from "./result.js";

export interface Line {
  base: number;
  perNode: number;
}

export function fitLine(points: [number, number][]): Line {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const perNode = sxx === 0 ? 0 : sxy / sxx;
  return { base: my - perNode * mx, perNode };
}

export interface CostFit {
  figure: string;
  line: Line;
  at: Record<number, number>;
}

export function fitRuns(runs: EdgemarkResult[], fleets: number[]): CostFit[] {
  const figures: [string, (r: EdgemarkResult) => number | undefined][] = [];
  for (const name of ["apiserver", "etcd", "module", "controller-manager"]) {
    figures.push([`${name} CPU ms/s`, r => r.cost.processes[name]?.cpuMsPerSecond]);
    figures.push([`${name} RSS MiB`, r => r.cost.processes[name]?.rssMiB]);
  }
  figures.push(["apiserver requests/s", r => r.cost.totalRequestRate]);
  figures.push(["open watches", r => r.openWatches]);
  const out: CostFit[] = [];
  for (const [figure, pick] of figures) {
    const points = runs
      .map(r => [r.params.nodes, pick(r)] as [number, number | undefined])
      .filter((p): p is [number, number] => p[1] !== undefined);
    if (points.length < 2) continue;
    const line = fitLine(points);
    const at = Object.fromEntries(fleets.map(n => [n, line.base + line.perNode * n]));
    out.push({ figure, line, at });
  }
  return out;
}
