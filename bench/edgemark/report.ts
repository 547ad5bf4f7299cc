/** The table edgemark prints: one line per figure, grouped as the issue lists them. */
import type { EdgemarkResult } from "./result.js";

export function renderTable(r: EdgemarkResult): string {
  const p = r.params;
  const rows: [string, string][] = [
    ["hollow nodes × devices × pods", `${p.nodes} × ${p.devicesPerNode} × ${p.podsPerNode}`],
    ["report period / desired changes", `${p.reportSeconds} s / ${p.desiredPerSecond} per s`],
    [
      "machine",
      `nproc ${r.machine.nproc}, load ${fmtLoad(r.machine.loadStart)} → ${fmtLoad(r.machine.loadEnd)}`,
    ],
    ["steady window", `${r.cost.seconds} s`],
  ];
  for (const [name, c] of Object.entries(r.cost.processes)) {
    rows.push([`${name} CPU / RSS`, `${c.cpuMsPerSecond} ms/s / ${c.rssMiB} MiB`]);
  }
  rows.push(["apiserver requests", `${r.cost.totalRequestRate} /s`]);
  for (const [key, rate] of Object.entries(r.cost.requestRates).slice(0, 12)) {
    rows.push([`  ${key}`, `${rate} /s`]);
  }
  rows.push(
    ["open watches (apiserver)", String(r.openWatches)],
    ...Object.entries(r.edgeCounters).map(([k, n]): [string, string] => [
      `  fleet ${k}`,
      String(n),
    ]),
    [
      "nodes Ready at end / NotReady flaps",
      `${r.nodes.readyAtEnd}/${r.nodes.total} / ${r.nodes.notReadyFlaps}`,
    ],
    [
      "lease renewals / lateness p50, p99 / misses",
      `${r.leases.renewals} / ${r.leases.latenessP50Ms}, ${r.leases.latenessP99Ms} ms / ${r.leases.misses}`,
    ],
    ["reported → status p50 / p99", `${r.reportedToStatus.p50Ms} / ${r.reportedToStatus.p99Ms} ms`],
    [
      "  arrived / sent, within 2 cycles",
      `${r.reportedToStatus.arrived}/${r.reportedToStatus.sent}, ${pct(r.reportedToStatus.withinTwoCycles)}`,
    ],
    [
      "desired → delta p50 / p99",
      `${r.desiredToDelta.p50Ms} / ${r.desiredToDelta.p99Ms} ms (${r.desiredToDelta.arrived}/${r.desiredToDelta.sent})`,
    ],
  );
  const labels: Record<string, string> = {
    moduleStartEmptyMs: "module start-up, no fleet",
    fleetReadyMs: "fleet start → all Ready",
    objectsCreatedMs: "devices + pods created",
    devicesAtNodesMs: "created → every node has its devices",
    profileReconcileOneNodeMs: "one-node change → profile ConfigMap",
    profileAtNodeMs: "one-node change → node's DeviceTwin",
    moduleRestartMs: "module start-up with the fleet",
    afterRestartProfileReconcileOneNodeMs: "  then one-node change → ConfigMap",
    afterRestartProfileAtNodeMs: "  then one-node change → DeviceTwin",
  };
  for (const [key, ms] of Object.entries(r.timings)) rows.push([labels[key] ?? key, `${ms} ms`]);
  for (const problem of r.problems) rows.push(["not finished", problem]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n");
}

const fmtLoad = (l: number[]): string => l.map(x => x.toFixed(1)).join(" ");
const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
