/**
 * What e2e tests get: the running control plane's endpoints, admin and node identities, a
 * kubectl runner, and the means to take the apiserver away and bring it back.
 */
import { inject } from "vitest";
import { eventually } from "@kubeedge-ts/testkit";
import { type KubectlResult, runKubectl } from "../local/kube/kubectl.js";
import { allowEdgeNode } from "../local/cloud-runner/edge-node-grants.js";

export { eventually, type KubectlResult, runKubectl };
import {
  layout,
  mintNodeIdentity,
  readState,
  startApiServer,
  stopApiServer,
} from "../local/control-plane/index.js";

export interface TestCluster {
  dir: string;
  server: string;
  adminKubeconfig: string;
  binDir: string;
  /**
   * A kubeconfig for system:node:<name>; the admin also allow-lists the node for the edge role
   * (what `kubeedge-ts cluster node-identity` does) unless `edgeRole: false`.
   */
  nodeIdentity(name: string, opts?: { edgeRole?: boolean }): Promise<string>;
  kubectl(args: string[], opts?: { kubeconfig?: string; input?: string }): Promise<KubectlResult>;
  stopApiServer(): Promise<void>;
  startApiServer(): Promise<void>;
}

export function testCluster(): TestCluster {
  const dir = inject("controlPlaneDir");
  const state = readState(dir);
  if (!state) throw new Error(`no control plane state in ${dir}`);
  const adminKubeconfig = layout(dir).adminKubeconfig;
  return {
    dir,
    server: state.server,
    adminKubeconfig,
    binDir: state.binDir,
    nodeIdentity: async (name, opts = {}) => {
      const kubeconfig = mintNodeIdentity(dir, name);
      if (opts.edgeRole !== false) await allowEdgeNode(adminKubeconfig, name, "e2e harness");
      return kubeconfig;
    },
    kubectl: (args, opts = {}) =>
      runKubectl(state.binDir, opts.kubeconfig ?? adminKubeconfig, args, opts.input),
    stopApiServer: () => stopApiServer(dir),
    startApiServer: () => startApiServer(dir),
  };
}

/** The run's private containerd (started by global-setup-containerd.ts, images imported). */
export interface TestContainerd {
  dir: string;
  /** unix:///…/containerd.sock, as the edge agent's --remote-runtime-endpoint takes it */
  endpoint: string;
  /** The socket path, for `ctr --address`. */
  address: string;
}

export function testContainerd(): TestContainerd {
  const dir = inject("containerdDir");
  const endpoint = inject("containerdEndpoint");
  return {
    dir,
    endpoint,
    address: endpoint.replace(/^unix:\/\//, ""),
  };
}
