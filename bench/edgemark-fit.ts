/**
 * Fits edgemark runs (their --json files) to per-node lines and extrapolates them.
 *
 *   node --import tsx bench/edgemark-fit.ts run-100.json run-300.json [...]
 */
import { readFileSync } from "node:fs";
import { fitRuns } from "./edgemark/fit.js";
import type { EdgemarkResult } from "./edgemark/result.js";

const FLEETS = [1000, 5000, 100_000];
const runs = process.argv.slice(2).map(f => JSON.parse(readFileSync(f, "utf8")) as EdgemarkResult);
const fmt = (n: number): string => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2));
console.log(
  ["figure", "base", "per node", ...FLEETS.map(n => `at ${n.toLocaleString("en")}`)].join(" | "),
);
for (const f of fitRuns(runs, FLEETS)) {
  const cells = [
    f.figure,
    fmt(f.line.base),
    fmt(f.line.perNode),
    ...FLEETS.map(n => fmt(f.at[n]!)),
  ];
  console.log(cells.join(" | "));
}
