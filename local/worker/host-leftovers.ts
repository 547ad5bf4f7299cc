/**
 * What a kubelet and a kube-proxy change on the host outside their folders, and how to put it
 * back: the kernel sysctls the kubelet sets at start, the KUBE-* iptables chains (kube-proxy's
 * Service rules, the kubelet's canary chains), the kubepods cgroups (cgroupfs driver) and the
 * folders it makes at fixed host paths (log links, the device-plugin socket). All steps are best
 * effort and idempotent.
 */
import { spawnSync } from "node:child_process";
import {
  existsSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";

/** The sysctls kubelet's container manager sets at start (protectKernelDefaults: false). */
export const KUBELET_SYSCTLS = [
  "vm/overcommit_memory",
  "vm/panic_on_oom",
  "kernel/panic",
  "kernel/panic_on_oops",
  "kernel/keys/root_maxkeys",
  "kernel/keys/root_maxbytes",
];

export function readSysctls(names = KUBELET_SYSCTLS): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    try {
      out[name] = readFileSync(`/proc/sys/${name}`, "utf8").trim();
    } catch {
      // not on this kernel
    }
  }
  return out;
}

export function restoreSysctls(before: Record<string, string>): void {
  for (const [name, value] of Object.entries(before)) {
    try {
      if (readFileSync(`/proc/sys/${name}`, "utf8").trim() !== value) {
        writeFileSync(`/proc/sys/${name}`, value);
      }
    } catch {
      // read-only here: the kubelet could not have changed it either
    }
  }
}

/**
 * From `iptables -t <table> -S`: the rules of other chains that jump to a KUBE-* chain (to
 * delete, without their "-A ") and the KUBE-* chains themselves (to flush, then delete).
 */
export function kubeChainsOf(rulesText: string): { jumps: string[]; chains: string[] } {
  const lines = rulesText.split("\n");
  const chains = lines.filter(l => /^-N KUBE-/.test(l)).map(l => l.slice(3).trim());
  const jumps = lines
    .filter(l => /^-A /.test(l) && !/^-A KUBE-/.test(l) && / -j KUBE-/.test(l))
    .map(l => l.slice(3));
  return { jumps, chains };
}

const IPTABLES = ["iptables", "ip6tables"];
const TABLES = ["nat", "filter", "mangle"];

function listRules(bin: string, table: string): string {
  const r = spawnSync(bin, ["-w", "-t", table, "-S"], { encoding: "utf8", timeout: 30_000 });
  return r.status === 0 ? r.stdout : "";
}

/** Removes every KUBE-* chain and the jumps into them, for IPv4 and IPv6. */
export function removeKubeChains(): void {
  for (const bin of IPTABLES) {
    for (const table of TABLES) {
      const { jumps, chains } = kubeChainsOf(listRules(bin, table));
      // -S prints iptables-save syntax with shell quoting (comments): let sh split each rule.
      for (const rule of jumps) spawnSync("sh", ["-c", `${bin} -w -t ${table} -D ${rule}`]);
      for (const chain of chains) spawnSync(bin, ["-w", "-t", table, "-F", chain]);
      for (const chain of chains) spawnSync(bin, ["-w", "-t", table, "-X", chain]);
    }
  }
}

/** KUBE-* chains still on the host, as "<bin> <table> <chain>" lines (for checks). */
export function kubeChainsLeft(): string[] {
  const left: string[] = [];
  for (const bin of IPTABLES) {
    for (const table of TABLES) {
      for (const chain of kubeChainsOf(listRules(bin, table)).chains) {
        left.push(`${bin} ${table} ${chain}`);
      }
    }
  }
  return left;
}

const CGROUP_ROOT = "/sys/fs/cgroup";

/** Removes the kubepods cgroup trees (deepest first); a cgroup with tasks left stays. */
export function removeKubepodsCgroups(root = CGROUP_ROOT): void {
  if (!existsSync(root)) return;
  const candidates = [join(root, "kubepods")];
  for (const controller of readdirSync(root)) candidates.push(join(root, controller, "kubepods"));
  for (const tree of candidates) if (existsSync(tree)) rmdirTree(tree);
}

function rmdirTree(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) rmdirTree(join(dir, entry.name));
  }
  try {
    rmdirSync(dir);
  } catch {
    // still has tasks, or not removable: leave it
  }
}

const CONTAINER_LOG_LINKS = "/var/log/containers";
/** The kubelet's device-plugin registration socket lives here whatever its --root-dir. */
const DEVICE_PLUGINS = "/var/lib/kubelet/device-plugins";

/** Host folders the kubelet creates at fixed paths, outside its root folder. */
export const KUBELET_HOST_PATHS = [CONTAINER_LOG_LINKS, "/var/lib/kubelet"];

export const absentPaths = (paths = KUBELET_HOST_PATHS): string[] =>
  paths.filter(p => !existsSync(p));

/**
 * Removes the kubelet's /var/log/containers links into `podLogsDir`, its device-plugin socket,
 * and then those of `absentBefore` that are left empty.
 */
export function removeKubeletHostPaths(podLogsDir: string, absentBefore: string[]): void {
  if (existsSync(CONTAINER_LOG_LINKS)) removeLinksInto(CONTAINER_LOG_LINKS, `${podLogsDir}/`);
  if (absentBefore.includes("/var/lib/kubelet")) {
    rmSync(join(DEVICE_PLUGINS, "kubelet.sock"), { force: true });
  }
  for (const path of absentBefore) if (existsSync(path)) rmdirTree(path);
}

function removeLinksInto(folder: string, targetPrefix: string): void {
  for (const name of readdirSync(folder)) {
    const link = join(folder, name);
    try {
      if (readlinkSync(link).startsWith(targetPrefix)) rmSync(link, { force: true });
    } catch {
      // not a link
    }
  }
}
