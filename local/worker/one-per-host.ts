/**
 * One worker per machine: kube-proxy's iptables chains (KUBE-SERVICES and the rest) are
 * host-wide, and each kube-proxy rewrites them with its own cluster's Services, so a second
 * worker's kube-proxy would remove the first one's rules (and `kube-proxy --cleanup` at its
 * teardown would remove them all). A second worker is refused, naming the running one.
 */
import { readFileSync } from "node:fs";
import { pidsMentioning } from "../containerd/host-cleanup.js";

const MARKERS = ["/worker/kube-proxy-config.yaml", "/worker/kubelet-config.yaml"];

/** Workers of other cluster folders running now: "pid: command line" each. */
export function otherWorkers(clusterDir: string): string[] {
  const found: string[] = [];
  for (const marker of MARKERS) {
    for (const pid of pidsMentioning(marker)) {
      let cmdline: string;
      try {
        cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
      } catch {
        continue;
      }
      if (!cmdline.includes(`${clusterDir}/worker/`)) found.push(`${pid}: ${cmdline}`);
    }
  }
  return found;
}

export function assertNoOtherWorker(clusterDir: string): void {
  const others = otherWorkers(clusterDir);
  if (others.length > 0) {
    throw new Error(
      "another cluster's worker node runs on this machine; kube-proxy's iptables chains are " +
        "host-wide, so only one worker can run at a time. Stop it first " +
        `('kubeedge-ts cluster down --dir <its folder>'):\n  ${others.join("\n  ")}`,
    );
  }
}
