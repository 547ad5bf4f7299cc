/** Where everything of one local control plane lives inside its state folder. */
import { join } from "node:path";

export const COMPONENTS = [
  "etcd",
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
] as const;
export type Component = (typeof COMPONENTS)[number];

export function layout(dir: string) {
  const pki = join(dir, "pki");
  return {
    dir,
    pki,
    state: join(dir, "state.json"),
    etcdData: join(dir, "etcd-data"),
    logs: join(dir, "logs"),
    pids: join(dir, "pids"),
    caCert: join(pki, "ca.crt"),
    caKey: join(pki, "ca.key"),
    servingCert: join(pki, "apiserver.crt"),
    servingKey: join(pki, "apiserver.key"),
    kubeletClientCert: join(pki, "apiserver-kubelet-client.crt"),
    kubeletClientKey: join(pki, "apiserver-kubelet-client.key"),
    saKey: join(pki, "sa.key"),
    saPub: join(pki, "sa.pub"),
    adminKubeconfig: join(dir, "admin.kubeconfig"),
    componentKubeconfig: (name: string): string => join(pki, `${name}.kubeconfig`),
    nodeKubeconfig: (node: string): string => join(dir, `${node}.kubeconfig`),
  };
}
export type Layout = ReturnType<typeof layout>;
