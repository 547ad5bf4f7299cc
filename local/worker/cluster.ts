/**
 * The local cluster as `kubeedge-ts cluster up|down` runs it: the control plane, and with
 * `withWorker` a cloud worker node beside it (the apiserver then made reachable from pods).
 * Stopping stops the worker first (its pods call the apiserver), then the control plane.
 */
import { resolve } from "node:path";
import {
  type StartOptions,
  startControlPlane,
  stopControlPlane,
} from "../control-plane/control-plane.js";
import { startOwnerWatchdog } from "../control-plane/owner-watchdog.js";
import type { ControlPlaneState } from "../control-plane/state.js";
import { nodeAddress } from "./node-address.js";
import { claimWorkerSlot, releaseWorkerSlot } from "./one-per-host.js";
import { stopWorker } from "./teardown.js";
import { type StartWorkerOptions, startWorker } from "./worker.js";

export interface StartClusterOptions extends StartOptions {
  withWorker?: boolean;
  worker?: Omit<StartWorkerOptions, "address" | "progress">;
}

export async function startCluster(opts: StartClusterOptions): Promise<ControlPlaneState> {
  if (!opts.withWorker) return startControlPlane(opts);
  const address = nodeAddress();
  const { ownerPid, ...rest } = opts;
  // Refused before anything starts when another cluster's worker runs.
  const dir = resolve(opts.dir);
  claimWorkerSlot(dir);
  let state: ControlPlaneState;
  try {
    state = await startControlPlane({ ...rest, dir, podReachable: { address } });
  } catch (err) {
    releaseWorkerSlot(dir);
    throw err;
  }
  // One watchdog for both, running stopCluster: the control plane's own would kill the kubelet
  // but leave the worker's containerd, bridge and mounts behind.
  if (ownerPid !== undefined) startClusterWatchdog(state.dir, ownerPid);
  try {
    await startWorker(state, { ...opts.worker, address, progress: opts.progress });
  } catch (err) {
    await stopControlPlane(state.dir, { removeState: false });
    throw err;
  }
  return state;
}

/** Stops the worker (if any) and the control plane; the names of what was running. */
export async function stopCluster(
  dirIn: string,
  progress: (line: string) => void = () => undefined,
): Promise<string[]> {
  const dir = resolve(dirIn);
  const worker = await stopWorker(dir, progress);
  // Also when no worker started: a test may have reserved the slot for this cluster.
  releaseWorkerSlot(dir);
  const stopped = await stopControlPlane(dir);
  return worker ? ["worker", ...stopped] : stopped;
}

function startClusterWatchdog(dir: string, ownerPid: number): void {
  startOwnerWatchdog({
    ownerPid,
    label: "kubeedge-ts-cluster-watchdog",
    dir,
    guard: "state.json",
    log: "logs/watchdog.log",
    entry: new URL("./down-main.ts", import.meta.url),
  });
}
