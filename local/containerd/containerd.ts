/**
 * Starts a private containerd for one run (a test run, the demo): its own config, root, state,
 * socket, runc state and pod network, all under `dir`, logging to dir/containerd.log. stop()
 * removes what it leaves on the host; with `ownerPid` a watchdog does the same if that process
 * dies first, so an interrupted test run leaves no containerd, shim, mount or bridge behind.
 */
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { eventually } from "@kubeedge-ts/testkit";
import {
  cniConflist,
  containerdConfig,
  type ContainerdPaths,
  containerdPaths,
  type PodNetwork,
} from "./config.js";
import { criServing } from "./cri-ready.js";
import { addPodMasquerade } from "./pod-masquerade.js";
import { claimPodNetwork } from "./pod-network.js";
import { type RunRecord, writeRunRecord } from "./run-record.js";
import {
  containerdAlive,
  startTeardownWatchdog,
  stopTeardownWatchdog,
  powerOff,
  teardownContainerd,
} from "./teardown.js";

export interface StartContainerdOptions {
  dir: string;
  /** Tear everything down when this process exits (tests, the demo without --keep). */
  ownerPid?: number;
  /** Remove `dir` itself on teardown, logs included (a test run's temporary folder). */
  removeDir?: boolean;
  progress?: (line: string) => void;
  readyTimeoutMs?: number;
  /** Serve containerd's Prometheus metrics (CRI timings) at this host:port (benchmarks). */
  metricsAddress?: string;
}

export interface RunningContainerd {
  /** CRI endpoint, as kubelet and the edge agent take it: unix:///…/containerd.sock */
  endpoint: string;
  /** The socket path itself, for `ctr --address`. */
  address: string;
  pid: number;
  dir: string;
  network: PodNetwork;
  stop(): Promise<void>;
  /**
   * A machine reboot as containerd sees it (see powerOff): its containers and state gone, its
   * root kept; then the same containerd starts again on the same socket.
   */
  reboot(): Promise<void>;
}

export async function startContainerd(opts: StartContainerdOptions): Promise<RunningContainerd> {
  const dir = resolve(opts.dir);
  const paths = containerdPaths(dir);
  const progress = opts.progress ?? (() => undefined);
  if (containerdAlive(paths)) throw new Error(`a containerd already runs from ${dir}`);
  mkdirSync(paths.cniConfDir, { recursive: true });
  const network = claimPodNetwork(dir);
  const record: RunRecord = { dir, network, removeDir: opts.removeDir };
  writeRunRecord(paths, record);
  let watchdog: number | undefined;
  const stop = async (): Promise<void> => {
    await teardownContainerd(dir, progress);
    if (watchdog !== undefined) stopTeardownWatchdog(watchdog, paths);
  };
  try {
    if (opts.ownerPid !== undefined) watchdog = startTeardownWatchdog(paths, opts.ownerPid);
    const started = await launchReady(paths, record, progress, opts);
    const running: RunningContainerd = {
      endpoint: `unix://${paths.socket}`,
      address: paths.socket,
      pid: started,
      dir,
      network,
      stop,
      reboot: async () => {
        await powerOff(paths);
        progress(`containerd in ${dir} powered off; starting it again`);
        running.pid = await launchReady(paths, record, progress, opts);
      },
    };
    return running;
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Starts containerd and waits until its CRI server answers; its PID. */
async function launchReady(
  paths: ContainerdPaths,
  record: RunRecord,
  progress: (line: string) => void,
  opts: Pick<StartContainerdOptions, "readyTimeoutMs" | "metricsAddress">,
): Promise<number> {
  const pid = launch(paths, record, progress, opts.metricsAddress);
  const outcome = await eventually(
    "containerd's CRI server",
    async () => (containerdAlive(paths) ? criServing(paths.socket) : "exited"),
    opts.readyTimeoutMs ?? 30_000,
    100,
    () => `see ${paths.log}`,
  );
  if (outcome === "exited") throw new Error(`containerd exited during start; see ${paths.log}`);
  progress(`containerd ready at ${paths.socket}`);
  return pid;
}

function launch(
  paths: ContainerdPaths,
  record: RunRecord,
  progress: (line: string) => void,
  metricsAddress?: string,
): number {
  const { network } = record;
  writeFileSync(paths.config, containerdConfig(paths, undefined, metricsAddress));
  writeFileSync(`${paths.cniConfDir}/10-kubeedge-ts.conflist`, cniConflist(network, paths.ipamDir));
  addPodMasquerade(network);
  progress(
    `starting containerd in ${paths.dir} (pods on ${network.subnet}, bridge ${network.bridge})`,
  );
  const log = openSync(paths.log, "a");
  const child = spawn("containerd", ["--config", paths.config], {
    detached: true,
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  if (child.pid === undefined) {
    throw new Error("could not start containerd: is it installed? (scripts/bootstrap.sh)");
  }
  child.unref();
  writeFileSync(paths.pid, String(child.pid));
  writeRunRecord(paths, { ...record, pid: child.pid });
  return child.pid;
}
