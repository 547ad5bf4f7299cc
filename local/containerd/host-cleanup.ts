/**
 * What a killed containerd leaves on the host and how to remove it: container processes (runc
 * state under the run's folder), shims (their command line names the run's socket), mounts
 * under the run's folder (netns, rootfs, shm), the CNI bridge, the iptables rules CNI wrote for
 * the run's network (commented with its name) and the chains they jump to, and CNI's result
 * cache. Every step is best effort and idempotent: a teardown may run twice (stop and watchdog).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { PodNetwork } from "./config.js";

const run = (bin: string, args: string[]): string => {
  const r = spawnSync(bin, args, { encoding: "utf8", timeout: 30_000 });
  return r.status === 0 ? r.stdout : "";
};

/** runc keeps one state folder per containerd namespace under the configured root. */
export function killRuncContainers(runcRoot: string): void {
  if (!existsSync(runcRoot)) return;
  for (const namespace of readdirSync(runcRoot)) {
    const root = join(runcRoot, namespace);
    for (const id of run("runc", ["--root", root, "list", "-q"]).split("\n").filter(Boolean)) {
      run("runc", ["--root", root, "delete", "--force", id]);
    }
  }
}

/** PIDs whose command line contains `needle` (e.g. shims started for the run's socket). */
export function pidsMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ");
      if (cmdline.includes(needle)) pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

export function killShims(socket: string): void {
  for (const pid of pidsMentioning(socket)) {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    if (!cmdline.startsWith("/usr/bin/containerd-shim") && !cmdline.includes("containerd-shim"))
      continue;
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** Mount points under `dir` from a mountinfo text, deepest first (the order to unmount). */
export function mountsUnder(mountinfo: string, dir: string): string[] {
  const prefix = dir.endsWith("/") ? dir : `${dir}/`;
  const points = mountinfo
    .split("\n")
    .map(line => line.split(" ")[4])
    .filter((p): p is string => p !== undefined)
    .map(p => p.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8))))
    .filter(p => p.startsWith(prefix));
  return [...new Set(points)].sort((a, b) => b.split("/").length - a.split("/").length);
}

export function unmountUnder(dir: string): void {
  for (const point of mountsUnder(readFileSync("/proc/self/mountinfo", "utf8"), dir)) {
    if (spawnSync("umount", [point]).status !== 0) spawnSync("umount", ["-l", point]);
  }
}

export function deleteBridge(bridge: string): void {
  if (existsSync(`/sys/class/net/${bridge}`)) run("ip", ["link", "delete", bridge]);
}

/**
 * From `iptables -S` output: the rules CNI wrote for `network` (their comment names it) and the
 * per-container chains they jump to. Shared chains (CNI-HOSTPORT-*) stay: other runs use them.
 */
export function cniRulesOf(
  rulesText: string,
  network: string,
): { rules: string[]; chains: string[] } {
  const tag = `name: \\"${network}\\"`;
  const rules = rulesText.split("\n").filter(l => l.startsWith("-A ") && l.includes(tag));
  const chains = new Set<string>();
  for (const rule of rules) {
    const target = / -j (CNI-[\w-]+)/.exec(rule)?.[1];
    if (target && !target.startsWith("CNI-HOSTPORT-")) chains.add(target);
  }
  return { rules, chains: [...chains] };
}

export function removeCniRules(network: string): void {
  for (const table of ["nat", "filter"]) {
    const { rules, chains } = cniRulesOf(run("iptables", ["-t", table, "-S"]), network);
    // The -S line is iptables-save syntax with shell quoting of the comment: let sh split it.
    for (const rule of rules) spawnSync("sh", ["-c", `iptables -t ${table} -D ${rule.slice(3)}`]);
    for (const chain of chains) {
      run("iptables", ["-t", table, "-F", chain]);
      run("iptables", ["-t", table, "-X", chain]);
    }
  }
}

/**
 * libcni caches each attachment's result in /var/lib/cni/results as <network>-<sandbox>-<if>,
 * containerd's pod loopback included ("cni-loopback-<sandbox>-lo").
 */
export function removeCniResults(network: PodNetwork, sandboxIds: string[]): void {
  const results = "/var/lib/cni/results";
  if (!existsSync(results)) return;
  for (const f of readdirSync(results)) {
    if (f.startsWith(`${network.name}-`) || sandboxIds.some(id => f.includes(`-${id}-`))) {
      rmSync(join(results, f), { force: true });
    }
  }
}

/** The sandboxes containerd's CRI plugin knows, from its folders (it may be dead by now). */
export function sandboxIds(criRoot: string): string[] {
  const dir = join(criRoot, "sandboxes");
  return existsSync(dir) ? readdirSync(dir) : [];
}

export function hostHasBridge(bridge: string): boolean {
  return existsSync(`/sys/class/net/${bridge}`);
}

/** True while iptables still holds a rule CNI wrote for `network` (for tests and checks). */
export function iptablesMentions(network: string, sandboxId?: string): boolean {
  // CNI tags each rule with the network and the sandbox id: a run's containerd is shared by
  // every e2e file, so a check about one sandbox must not see its neighbours' rules.
  return ["nat", "filter"].some(table =>
    cniRulesOf(
      execFileSync("iptables", ["-t", table, "-S"], { encoding: "utf8" }),
      network,
    ).rules.some(rule => sandboxId === undefined || rule.includes(sandboxId)),
  );
}

/** What of a run is still on the host, one line each; empty after a complete teardown. */
export function leftoversOf(dir: string, network: PodNetwork, runcRoot: string): string[] {
  const socket = join(dir, "containerd.sock");
  const found = pidsMentioning(dir).map(pid => `process ${pid}: ${cmdlineOf(pid)}`);
  found.push(...pidsMentioning(socket).map(pid => `process ${pid} (shim?): ${cmdlineOf(pid)}`));
  found.push(
    ...mountsUnder(readFileSync("/proc/self/mountinfo", "utf8"), dir).map(m => `mount ${m}`),
  );
  if (hostHasBridge(network.bridge)) found.push(`bridge ${network.bridge}`);
  if (iptablesMentions(network.name)) found.push(`iptables rules of ${network.name}`);
  if (existsSync(runcRoot)) found.push(`runc state ${runcRoot}`);
  return [...new Set(found)];
}

function cmdlineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
  } catch {
    return "(gone)";
  }
}
