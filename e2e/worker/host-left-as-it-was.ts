/** What a worker leaves on the host, for the worker e2e tests: empty once it is torn down. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { processesMentioning } from "@kubeedge-ts/testkit";
import { hostHasBridge, iptablesMentions } from "../../local/containerd/index.js";
import type { WorkerState } from "../../local/control-plane/index.js";
import { kubeChainsLeft } from "../../local/worker/index.js";

function mountsUnder(dir: string): string[] {
  return readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map(line => line.split(" ")[4] ?? "")
    .filter(point => point.startsWith(`${dir}/`) || point === dir);
}

/** The kubelet's kubepods cgroup trees (cgroupfs driver) on this host. */
function kubepodsCgroups(): string[] {
  const root = "/sys/fs/cgroup";
  const trees = [`${root}/kubepods`, ...readdirSync(root).map(c => `${root}/${c}/kubepods`)];
  return trees.filter(t => existsSync(t));
}

/** One line per leftover of the cluster in `dir` and its `worker`. */
export function workerLeftovers(dir: string, worker: WorkerState): string[] {
  return [
    ...processesMentioning(dir).map(pid => `process ${pid}`),
    ...mountsUnder(dir).map(m => `mount ${m}`),
    ...(hostHasBridge(worker.bridge) ? [`bridge ${worker.bridge}`] : []),
    ...(iptablesMentions(worker.podNetwork) ? [`iptables rules of ${worker.podNetwork}`] : []),
    ...kubeChainsLeft().map(c => `chain ${c}`),
    ...kubepodsCgroups().map(c => `cgroup ${c}`),
  ];
}
