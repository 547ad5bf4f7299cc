/** Whether a cluster's worker node runs: its processes and its Node's Ready condition. */
import { readFileSync } from "node:fs";
import { containerdPaths } from "../containerd/config.js";
import { containerdAlive } from "../containerd/teardown.js";
import { adminTls } from "../control-plane/credentials.js";
import { get } from "../control-plane/http.js";
import { runningComponents } from "../control-plane/processes.js";
import type { ControlPlaneState } from "../control-plane/state.js";
import { workerLayout } from "./layout.js";
import { WORKER_PROCESSES } from "./teardown.js";

interface NodeObject {
  status?: { conditions?: { type: string; status: string }[] };
}

/** True when the Node exists and its Ready condition is True. */
export async function nodeReady(state: ControlPlaneState, nodeName: string): Promise<boolean> {
  const r = await get(`${state.server}/api/v1/nodes/${nodeName}`, adminTls(state.dir));
  if (r.status !== 200) return false;
  const node = JSON.parse(r.body) as NodeObject;
  return node.status?.conditions?.some(c => c.type === "Ready" && c.status === "True") ?? false;
}

export interface WorkerStatus {
  nodeName: string;
  processes: { name: string; pid?: number }[];
  ready: boolean;
}

export async function workerStatus(state: ControlPlaneState): Promise<WorkerStatus | undefined> {
  if (!state.worker) return undefined;
  const running = runningComponents(state.dir);
  const paths = containerdPaths(workerLayout(state.dir).containerd);
  const containerdPid = containerdAlive(paths)
    ? Number(readFileSync(paths.pid, "utf8").trim())
    : undefined;
  return {
    nodeName: state.worker.nodeName,
    processes: [
      ...WORKER_PROCESSES.map(name => ({ name, pid: running[name] })),
      { name: "containerd (worker)", pid: containerdPid },
    ],
    ready: await nodeReady(state, state.worker.nodeName).catch(() => false),
  };
}
