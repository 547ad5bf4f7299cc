/**
 * The cloud edgemark measures: a local control plane (an existing one given by its state
 * folder, or a fresh one stopped afterwards), the CRDs and edge-node RBAC as `kubeedge-ts cloud
 * up` installs them, and the Pepr module as a local process that can be restarted.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeClient } from "../../edge-agent/src/kube/client.js";
import { readCredentials } from "../../edge-agent/src/kube/kubeconfig.js";
import { installCrds, readCrds } from "../../local/cloud-runner/crds.js";
import { RBAC_DIR, readManifests } from "../../local/cloud-runner/manifests.js";
import { startModule, type RunningModule } from "../../local/cloud-runner/module-runner.js";
import {
  ensureBinaries,
  layout,
  mintNodeIdentity,
  startControlPlane,
  stopControlPlane,
} from "../../local/control-plane/index.js";
import { runningComponents } from "../../local/control-plane/processes.js";
import { loadKube, type Kube } from "../../local/kube/kube.js";

export interface EdgemarkCluster {
  dir: string;
  adminKubeconfig: string;
  /** The admin identity with the edge agent's client (list, watch, patch, raw /metrics). */
  admin: KubeClient;
  kube: Kube;
  module?: RunningModule;
  /** Starts the module; resolves with how long it took to be serving (ms). */
  startModule(): Promise<number>;
  stopModule(): Promise<void>;
  /** kube-apiserver, etcd, kube-controller-manager and (while it runs) the module. */
  pids(): Record<string, number>;
  nodeIdentity(node: string): string;
  close(): Promise<void>;
}

export async function edgemarkCluster(clusterDir?: string): Promise<EdgemarkCluster> {
  let dir = clusterDir;
  const ours = dir === undefined;
  if (dir === undefined) {
    dir = mkdtempSync(join(tmpdir(), "kubeedge-ts-edgemark-"));
    const binDir = await ensureBinaries(() => undefined);
    await startControlPlane({ dir, binDir, ownerPid: process.pid });
  }
  const clusterState = dir;
  const adminKubeconfig = layout(clusterState).adminKubeconfig;
  const kube = loadKube(adminKubeconfig);
  await installCrds(kube, readCrds());
  for (const obj of readManifests(RBAC_DIR)) await kube.apply(obj);
  const admin = new KubeClient(readCredentials(adminKubeconfig), 60_000);
  const cluster: EdgemarkCluster = {
    dir: clusterState,
    adminKubeconfig,
    admin,
    kube,
    startModule: async () => {
      const t0 = performance.now();
      cluster.module = await startModule({ kubeconfig: adminKubeconfig });
      return Math.round(performance.now() - t0);
    },
    stopModule: async () => {
      await cluster.module?.stop();
      cluster.module = undefined;
    },
    pids: () => {
      const components = runningComponents(clusterState);
      const out: Record<string, number> = {};
      if (components["kube-apiserver"]) out.apiserver = components["kube-apiserver"];
      if (components.etcd) out.etcd = components.etcd;
      const cm = components["kube-controller-manager"];
      if (cm) out["controller-manager"] = cm;
      if (cluster.module) out.module = cluster.module.pid;
      return out;
    },
    nodeIdentity: node => mintNodeIdentity(clusterState, node),
    close: async () => {
      await cluster.stopModule();
      admin.close();
      kube.close();
      if (ours) await stopControlPlane(clusterState);
    },
  };
  return cluster;
}
