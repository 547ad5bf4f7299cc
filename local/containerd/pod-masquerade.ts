/**
 * Outbound NAT for a run's pods: one iptables rule for the whole pod subnet, written when its
 * containerd starts, instead of the CNI bridge plugin's `ipMasq` (a chain and two rules per pod,
 * written and removed on every sandbox start and stop). Each of those iptables calls takes the
 * host-wide xtables lock, so 20 pods starting at once queued on it inside RunPodSandbox
 * (docs/benchmarks.md). The comment names the CNI network as CNI's own rules do, so the
 * teardown that removes those (host-cleanup.ts) removes this one too.
 */
import { spawnSync } from "node:child_process";
import type { PodNetwork } from "./config.js";

/** The rule's match and target (after `-t nat -A POSTROUTING`): off-subnet traffic of the pods. */
export function podMasqueradeRule(network: PodNetwork): string[] {
  const comment = ["-m", "comment", "--comment", `name: "${network.name}" id: "pod-subnet"`];
  return ["-s", network.subnet, "!", "-d", network.subnet, ...comment, "-j", "MASQUERADE"];
}

/** Writes the rule unless it is there already (a containerd restarted in the same run). */
export function addPodMasquerade(network: PodNetwork): void {
  const rule = podMasqueradeRule(network);
  const iptables = (op: string): number =>
    spawnSync("iptables", ["-w", "-t", "nat", op, "POSTROUTING", ...rule]).status ?? 1;
  if (iptables("-C") === 0) return;
  if (iptables("-A") !== 0) throw new Error(`iptables could not add ${rule.join(" ")}`);
}

/** Packets the rule has masqueraded so far (0 when it is absent): proof that pod traffic uses it. */
export function podMasqueradePackets(network: PodNetwork): number {
  const out = spawnSync("iptables", ["-w", "-t", "nat", "-L", "POSTROUTING", "-v", "-x", "-n"], {
    encoding: "utf8",
  }).stdout;
  const line = out
    .split("\n")
    .find(l => l.includes(`name: "${network.name}" id: "pod-subnet"`) && l.includes("MASQUERADE"));
  return line ? Number(line.trim().split(/\s+/)[0]) : 0;
}
