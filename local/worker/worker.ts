/**
 * A cloud worker node beside the local control plane, the way kind runs a node: a real kubelet
 * and kube-proxy 1.34 against a containerd of its own (never the edge agents' containerd: a
 * kubelet removes every CRI pod it does not know), so Deployments, Services and webhooks served
 * by pods work as in a real cluster. The node is an ordinary node, not an edge node.
 * kubelet and kube-proxy run detached with PID files in the cluster's state folder, like the
 * control-plane processes; the worker's facts are in the cluster state (`worker`).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { eventually, freePort } from "@kubeedge-ts/testkit";
import { startContainerd } from "../containerd/containerd.js";
import { startDetached } from "../control-plane/processes.js";
import { type ControlPlaneState, type WorkerState, writeState } from "../control-plane/state.js";
import { layout } from "../control-plane/layout.js";
import type { ImageSpec } from "../images/image-spec.js";
import { absentPaths, readSysctls } from "./host-leftovers.js";
import { writeWorkerIdentities } from "./identities.js";
import { preloadImages, workerImages } from "./images.js";
import { kubeProxyCommand, kubeProxyConfiguration } from "./kube-proxy.js";
import { kubeletCommand, kubeletConfiguration } from "./kubelet.js";
import { workerLayout } from "./layout.js";
import { claimWorkerSlot } from "./one-per-host.js";
import { nodeReady } from "./status.js";
import { stopWorker } from "./teardown.js";

export interface StartWorkerOptions {
  /** The machine address (nodeAddress()); the apiserver must advertise the same. */
  address: string;
  /** Default: `<cluster folder name>-worker`. */
  nodeName?: string;
  /** Default: workerImages(). */
  images?: ImageSpec[];
  progress?: (line: string) => void;
  readyTimeoutMs?: number;
}

/** `<name>-worker` from the cluster folder's name, made a valid node name. */
export function defaultWorkerName(clusterDir: string): string {
  const base = basename(clusterDir)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return `${base || "cluster"}-worker`;
}

export async function startWorker(
  state: ControlPlaneState,
  opts: StartWorkerOptions,
): Promise<WorkerState> {
  const progress = opts.progress ?? (() => undefined);
  const l = workerLayout(state.dir);
  const nodeName = opts.nodeName ?? defaultWorkerName(state.dir);
  claimWorkerSlot(state.dir);
  mkdirSync(l.dir, { recursive: true });
  const hostBefore = { sysctls: readSysctls(), absentPaths: absentPaths() };
  try {
    const containerd = await startContainerd({ dir: l.containerd, removeDir: true, progress });
    state.worker = {
      nodeName,
      address: opts.address,
      containerdEndpoint: containerd.endpoint,
      containerdSocket: containerd.address,
      podSubnet: containerd.network.subnet,
      bridge: containerd.network.bridge,
      podNetwork: containerd.network.name,
      hostBefore,
    };
    writeState(state);
    const images = await preloadImages(
      containerd.address,
      opts.images ?? (await workerImages()),
      progress,
    );
    progress(`preloaded ${images.join(", ")}`);
    const { kubeletKubeconfig } = writeWorkerIdentities(state, l, nodeName, opts.address);
    writeFileSync(
      l.kubeletConfig,
      kubeletConfiguration(l, {
        containerdEndpoint: containerd.endpoint,
        clientCaFile: layout(state.dir).caCert,
        port: await freePort(),
      }),
    );
    writeFileSync(
      l.kubeProxyConfig,
      kubeProxyConfiguration(l, {
        nodeName,
        clusterCidr: containerd.network.subnet,
        healthzPort: await freePort(),
        metricsPort: await freePort(),
      }),
    );
    progress(`starting kubelet (node ${nodeName}, ${opts.address}) and kube-proxy`);
    const identity = { nodeName, nodeIp: opts.address, kubeconfig: kubeletKubeconfig };
    startDetached(state.dir, "kubelet", kubeletCommand(state.binDir, l, identity));
    startDetached(state.dir, "kube-proxy", kubeProxyCommand(state.binDir, l));
    await waitNodeReady(state, nodeName, opts.readyTimeoutMs ?? 120_000);
    progress(`node ${nodeName} Ready`);
    return state.worker;
  } catch (err) {
    progress("worker start failed; stopping what was started");
    await stopWorker(state.dir, progress);
    throw err;
  }
}

async function waitNodeReady(
  state: ControlPlaneState,
  nodeName: string,
  timeoutMs: number,
): Promise<void> {
  await eventually(
    `node ${nodeName} Ready`,
    () => nodeReady(state, nodeName),
    timeoutMs,
    250,
    () => `see ${layout(state.dir).logs}/kubelet.log`,
  );
}
