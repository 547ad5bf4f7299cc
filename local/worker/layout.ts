/** Where a cloud worker node keeps its files: `<cluster dir>/worker/`. */
import { join } from "node:path";

export function workerLayout(clusterDir: string) {
  const dir = join(clusterDir, "worker");
  const pki = join(dir, "pki");
  return {
    dir,
    pki,
    /** The worker's own containerd (local/containerd): config, root, state, socket, CNI. */
    containerd: join(dir, "containerd"),
    /** kubelet's --root-dir; kubelet bind-mounts it onto itself. */
    kubeletRoot: join(dir, "kubelet"),
    /** Container logs (kubelet's podLogsDir), read by `kubectl logs`. */
    podLogs: join(dir, "pod-logs"),
    kubeletConfig: join(dir, "kubelet-config.yaml"),
    kubeletServingCert: join(pki, "kubelet.crt"),
    kubeletServingKey: join(pki, "kubelet.key"),
    kubeProxyConfig: join(dir, "kube-proxy-config.yaml"),
    kubeProxyKubeconfig: join(pki, "kube-proxy.kubeconfig"),
  };
}
export type WorkerLayout = ReturnType<typeof workerLayout>;
