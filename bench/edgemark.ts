/**
 * Edgemark: N hollow edge nodes in this process (the agent's real cloud link, one client
 * certificate each) against the local control plane and the module, and what they cost the
 * cloud. Figures and how to read them: docs/benchmarks.md ("Edgemark").
 *
 *   node --conditions=source --import tsx bench/edgemark.ts --nodes 100 [--devices 10]
 *     [--report-period 10] [--pods 1] [--desired-rate 1] [--duration 120] [--heartbeat 10]
 *     [--cluster-dir DIR] [--json FILE]
 */
import { writeFileSync } from "node:fs";
import { Command } from "commander";
import { renderTable } from "./edgemark/report.js";
import { runEdgemark } from "./edgemark/run.js";

const num = (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`not a number: ${v}`);
  return n;
};

const opts = new Command()
  .name("edgemark")
  .option("--nodes <n>", "hollow edge nodes", num, 100)
  .option("--devices <d>", "devices per node", num, 10)
  .option("--report-period <seconds>", "seconds between a device's reports (R)", num, 10)
  .option("--pods <p>", "pods per node", num, 1)
  .option("--desired-rate <per-second>", "desired-value changes from the cloud per second", num, 1)
  .option("--duration <seconds>", "steady window measured", num, 120)
  .option("--heartbeat <seconds>", "Lease renewal and Node status period of each node", num, 10)
  .option("--cluster-dir <dir>", "state folder of a running local control plane")
  .option("--json <file>", "also write the figures as JSON")
  .parse()
  .opts<{
    nodes: number;
    devices: number;
    reportPeriod: number;
    pods: number;
    desiredRate: number;
    duration: number;
    heartbeat: number;
    clusterDir?: string;
    json?: string;
  }>();

const result = await runEdgemark({
  nodes: opts.nodes,
  devicesPerNode: opts.devices,
  reportSeconds: opts.reportPeriod,
  podsPerNode: opts.pods,
  desiredPerSecond: opts.desiredRate,
  durationSeconds: opts.duration,
  heartbeatSeconds: opts.heartbeat,
  clusterDir: opts.clusterDir,
  progress: line => console.error(`edgemark: ${line}`),
});
console.log(renderTable(result));
if (opts.json) writeFileSync(opts.json, JSON.stringify(result, null, 2) + "\n");
process.exit(0);
