/**
 * The worker's kubelet: its KubeletConfiguration and command line. Settings are the ones a
 * kubelet needs on this machine kind (cgroup v1 with cgroupfs, swap on, a small shared disk)
 * and those that keep it inside its own folder and off fixed ports, so it leaves the host as
 * it found it and never collides with another run.
 */
import { join } from "node:path";
import { stringify } from "yaml";
import type { CommandSpec } from "../control-plane/processes.js";
import type { WorkerLayout } from "./layout.js";

export interface KubeletSettings {
  /** unix:///…/containerd.sock of the worker's own containerd. */
  containerdEndpoint: string;
  /** The cluster CA: kubelet authenticates the apiserver's client certificate with it. */
  clientCaFile: string;
  /** The kubelet API port (logs, exec): a free port the OS chose, not 10250. */
  port: number;
}

export function kubeletConfiguration(l: WorkerLayout, s: KubeletSettings): string {
  return stringify({
    apiVersion: "kubelet.config.k8s.io/v1beta1",
    kind: "KubeletConfiguration",
    cgroupDriver: "cgroupfs",
    // The machines have swap on; the kubelet's default refuses to start then.
    failSwapOn: false,
    containerRuntimeEndpoint: s.containerdEndpoint,
    address: "0.0.0.0",
    port: s.port,
    // Off: the unauthenticated read-only API, and the healthz listener (fixed port 10248).
    readOnlyPort: 0,
    healthzPort: 0,
    tlsCertFile: l.kubeletServingCert,
    tlsPrivateKeyFile: l.kubeletServingKey,
    authentication: {
      x509: { clientCAFile: s.clientCaFile },
      anonymous: { enabled: false },
      webhook: { enabled: true },
    },
    authorization: { mode: "Webhook" },
    // Nothing reserved for system daemons: a test machine, not a production node.
    enforceNodeAllocatable: [],
    // No cluster DNS runs; pods keep an empty resolv.conf rather than the host's.
    resolvConf: "",
    podLogsDir: l.podLogs,
    // The disk is shared by every run on the machine: never evict pods for it, and never
    // garbage-collect the preloaded images (they cannot be pulled again: no registry).
    evictionHard: {
      "memory.available": "50Mi",
      "nodefs.available": "1%",
      "nodefs.inodesFree": "1%",
      "imagefs.available": "1%",
    },
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    // Containers that exited are removed with their pod, not kept for post-mortems.
    maxPerPodContainerCount: 1,
    serializeImagePulls: false,
  });
}

export interface KubeletIdentity {
  nodeName: string;
  nodeIp: string;
  /** A kubeconfig for system:node:<nodeName>. */
  kubeconfig: string;
}

export function kubeletCommand(binDir: string, l: WorkerLayout, id: KubeletIdentity): CommandSpec {
  return {
    bin: join(binDir, "kubelet"),
    args: [
      `--config=${l.kubeletConfig}`,
      `--kubeconfig=${id.kubeconfig}`,
      `--hostname-override=${id.nodeName}`,
      `--node-ip=${id.nodeIp}`,
      `--root-dir=${l.kubeletRoot}`,
      // Unused with tlsCertFile set, but created at start: keep it out of /var/lib/kubelet.
      `--cert-dir=${l.pki}`,
      "--v=1",
    ],
  };
}
