/**
 * Stopping a worker node and putting the host back as it was: kubelet and kube-proxy by PID
 * (SIGTERM, SIGKILL after a deadline), the worker's containerd with its pods, bridge, CNI rules
 * and mounts (local/containerd), kube-proxy's Service rules (`kube-proxy --cleanup`, then any
 * KUBE-* chain left, the kubelet's included), the kubelet's bind mount of its root folder and
 * pod volumes, the kubepods cgroups, the log links and the sysctls. Idempotent.
 */
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { teardownContainerd } from "../containerd/teardown.js";
import { unmountUnder } from "../containerd/host-cleanup.js";
import { stopProcess } from "../control-plane/processes.js";
import { readState, writeState } from "../control-plane/state.js";
import {
  removeKubeChains,
  removeKubeletHostPaths,
  removeKubepodsCgroups,
  restoreSysctls,
} from "./host-leftovers.js";
import { kubeProxyCleanupCommand } from "./kube-proxy.js";
import { workerLayout } from "./layout.js";
import { otherWorkers, releaseWorkerSlot } from "./one-per-host.js";

export const WORKER_PROCESSES = ["kubelet", "kube-proxy"] as const;

/** Stops the worker of the cluster in `clusterDir`; true when there was one to stop. */
export async function stopWorker(
  clusterDirIn: string,
  progress: (line: string) => void = () => undefined,
): Promise<boolean> {
  const clusterDir = resolve(clusterDirIn);
  const l = workerLayout(clusterDir);
  const state = readState(clusterDir);
  if (!existsSync(l.dir) && !state?.worker) return false;
  // The kubelet first: it would restart the pods the containerd teardown kills.
  for (const name of WORKER_PROCESSES) await stopProcess(clusterDir, name, 10_000);
  await teardownContainerd(l.containerd, progress);
  // The chains and cgroups are host-wide: with another worker running they are its too.
  if (otherWorkers(clusterDir).length === 0) removeHostWideRules(state?.binDir);
  unmountUnder(l.dir);
  rmSync(l.dir, { recursive: true, force: true });
  if (state?.worker) {
    removeKubeletHostPaths(l.podLogs, state.worker.hostBefore.absentPaths);
    restoreSysctls(state.worker.hostBefore.sysctls);
    delete state.worker;
    writeState(state);
  }
  releaseWorkerSlot(clusterDir);
  progress("worker node stopped and cleaned up");
  return true;
}

function removeHostWideRules(binDir: string | undefined): void {
  if (binDir !== undefined) {
    const cleanup = kubeProxyCleanupCommand(binDir);
    spawnSync(cleanup.bin, cleanup.args, { stdio: "ignore", timeout: 60_000 });
  }
  removeKubeChains();
  removeKubepodsCgroups();
}
