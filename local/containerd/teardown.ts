/**
 * Stopping a private containerd and removing all it left: tasks through containerd while it
 * runs (shims exit cleanly), then containerd by PID (SIGTERM, SIGKILL after a deadline), then
 * whatever a crash would leave (see host-cleanup.ts), then the run's folders. The log and
 * config stay for post-mortems unless the run asked for `dir` itself to go (test runs).
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { startOwnerWatchdog } from "../control-plane/owner-watchdog.js";
import { type ContainerdPaths, containerdPaths } from "./config.js";
import { deleteAllTasks } from "./ctr.js";
import {
  deleteBridge,
  killRuncContainers,
  killShims,
  removeCniResults,
  removeCniRules,
  sandboxIds,
  unmountUnder,
} from "./host-cleanup.js";
import { releasePodNetwork } from "./pod-network.js";
import { readRunRecord } from "./run-record.js";

const sleep = (ms: number): Promise<void> => new Promise(r => setTimeout(r, ms));

function containerdPid(paths: ContainerdPaths): number | undefined {
  if (!existsSync(paths.pid)) return undefined;
  const pid = Number(readFileSync(paths.pid, "utf8").trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Alive and ours: a recycled PID never names our config file on its command line. */
function isOurContainerd(pid: number, paths: ContainerdPaths): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    if (/\) Z /.test(stat)) return false;
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(paths.config);
  } catch {
    return false;
  }
}

export function containerdAlive(paths: ContainerdPaths): boolean {
  const pid = containerdPid(paths);
  return pid !== undefined && isOurContainerd(pid, paths);
}

async function stopContainerdProcess(paths: ContainerdPaths, graceMs: number): Promise<void> {
  const pid = containerdPid(paths);
  if (pid === undefined || !isOurContainerd(pid, paths)) return;
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (isOurContainerd(pid, paths) && Date.now() < deadline) await sleep(100);
  if (isOurContainerd(pid, paths)) process.kill(pid, "SIGKILL");
  while (isOurContainerd(pid, paths)) await sleep(50);
}

export async function teardownContainerd(
  dir: string,
  progress: (line: string) => void = () => undefined,
): Promise<void> {
  const paths = containerdPaths(dir);
  const record = readRunRecord(paths);
  const sandboxes = [
    ...sandboxIds(join(paths.root, "io.containerd.grpc.v1.cri")),
    ...sandboxIds(join(paths.state, "io.containerd.grpc.v1.cri")),
  ];
  if (containerdAlive(paths)) {
    await deleteAllTasks(paths.socket).catch((err: unknown) =>
      progress(`deleting tasks through containerd failed, killing them instead: ${String(err)}`),
    );
  }
  await powerOff(paths);
  if (record) removeCniResults(record.network, sandboxes);
  for (const d of [paths.root, paths.ipamDir]) rmSync(d, { recursive: true, force: true });
  rmSync(paths.run, { force: true });
  if (record) releasePodNetwork(record.network, dir);
  if (record?.removeDir) rmSync(dir, { recursive: true, force: true });
  progress(`containerd in ${dir} stopped and cleaned up`);
}

/**
 * What a power cut leaves of a running containerd: its process, every container and shim, the
 * mounts, the pod bridge with its NAT rules and the state folders (tmpfs on a real machine) all
 * gone; the root (images, container records) and the IP allocations kept, as on a disk.
 */
export async function powerOff(paths: ContainerdPaths): Promise<void> {
  const record = readRunRecord(paths);
  await stopContainerdProcess(paths, 10_000);
  killRuncContainers(paths.runcRoot);
  killShims(paths.socket);
  unmountUnder(paths.dir);
  if (record) {
    deleteBridge(record.network.bridge);
    removeCniRules(record.network.name);
  }
  for (const d of [paths.state, paths.runcRoot, paths.socket]) {
    rmSync(d, { recursive: true, force: true });
  }
  rmSync(`${paths.socket}.ttrpc`, { force: true });
  rmSync(paths.pid, { force: true });
}

/**
 * A detached shell that waits for `ownerPid` to exit, then runs the same teardown in a fresh
 * Node (through tsx, as the CLI runs), unless stop() already removed run.json.
 */
export function startTeardownWatchdog(
  paths: ContainerdPaths,
  ownerPid: number,
): number | undefined {
  return startOwnerWatchdog({
    ownerPid,
    label: "kubeedge-ts-containerd-watchdog",
    dir: paths.dir,
    guard: "run.json",
    log: "teardown.log",
    entry: new URL("./teardown-main.ts", import.meta.url),
  });
}

/** Ends a watchdog whose run was already torn down (it would find nothing to do). */
export function stopTeardownWatchdog(pid: number, paths: ContainerdPaths): void {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    if (cmdline.includes("kubeedge-ts-containerd-watchdog") && cmdline.includes(paths.dir)) {
      process.kill(pid, "SIGTERM");
    }
  } catch {
    // already gone
  }
}
