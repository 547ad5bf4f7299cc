/**
 * Command lines of the four control-plane processes. Every command names a path inside the
 * state folder, which is how `processes.ts` recognises its own PIDs.
 */
import { join } from "node:path";
import type { Ports } from "./state.js";
import type { Layout } from "./layout.js";
import type { CommandSpec } from "./processes.js";

export const SERVICE_CLUSTER_IP_RANGE = "10.0.0.0/24";

export function etcdCommand(binDir: string, l: Layout, ports: Ports): CommandSpec {
  return {
    bin: join(binDir, "etcd"),
    args: [
      "--name=kubeedge-ts",
      `--data-dir=${l.etcdData}`,
      `--listen-client-urls=http://127.0.0.1:${ports.etcd}`,
      `--advertise-client-urls=http://127.0.0.1:${ports.etcd}`,
      `--listen-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
      `--initial-cluster=kubeedge-ts=http://127.0.0.1:${ports.etcdPeer}`,
      // Test clusters trade durability for speed; the data folder is thrown away on `down`.
      "--unsafe-no-fsync",
      "--quota-backend-bytes=4294967296",
    ],
  };
}

/**
 * How pods of a cloud worker node (local/worker) reach the apiserver: through the `kubernetes`
 * Service, whose endpoint is the advertised address. Loopback is not reachable from a pod's
 * network namespace, so the apiserver then listens on every address (127.0.0.1 for every
 * kubeconfig, `address` for pods), registers `address` as its endpoint (the lease reconciler),
 * and reaches webhook Services at their endpoints (pod IPs) rather than their ClusterIPs.
 */
export interface PodReachableApiserver {
  /** The machine's own non-loopback IPv4 address. */
  address: string;
}

function addressArgs(reachable: PodReachableApiserver | undefined): string[] {
  if (!reachable) {
    return [
      "--bind-address=127.0.0.1",
      // Without an advertise address a machine with no default route fails to start it.
      "--advertise-address=127.0.0.1",
      "--endpoint-reconciler-type=none",
    ];
  }
  return [
    "--bind-address=0.0.0.0",
    `--advertise-address=${reachable.address}`,
    "--endpoint-reconciler-type=lease",
    "--enable-aggregator-routing=true",
  ];
}

export function apiserverCommand(
  binDir: string,
  l: Layout,
  ports: Ports,
  reachable?: PodReachableApiserver,
): CommandSpec {
  return {
    bin: join(binDir, "kube-apiserver"),
    args: [
      `--etcd-servers=http://127.0.0.1:${ports.etcd}`,
      ...addressArgs(reachable),
      `--secure-port=${ports.apiserver}`,
      `--cert-dir=${l.pki}`,
      `--tls-cert-file=${l.servingCert}`,
      `--tls-private-key-file=${l.servingKey}`,
      `--client-ca-file=${l.caCert}`,
      // kubectl logs/exec: the apiserver calls the node's kubelet API (the edge agent's) with
      // this client certificate, at the node's InternalIP: without the address types it
      // resolves the node's name through DNS, which knows no edge node. The kubelet's serving
      // certificate is not verified (no --kubelet-certificate-authority), as kubeadm's default.
      `--kubelet-client-certificate=${l.kubeletClientCert}`,
      `--kubelet-client-key=${l.kubeletClientKey}`,
      "--kubelet-preferred-address-types=InternalIP,Hostname",
      "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
      `--service-account-key-file=${l.saPub}`,
      `--service-account-signing-key-file=${l.saKey}`,
      // The `kubernetes` Service takes the first address: 10.0.0.1 (in the serving cert).
      `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
      "--authorization-mode=Node,RBAC",
      // TLS bootstrap: `kubeedge-edge join` authenticates with a bootstrap token Secret.
      "--enable-bootstrap-token-auth",
      "--enable-admission-plugins=NodeRestriction",
      "--allow-privileged=true",
      "--profiling=false",
      "--event-ttl=1h",
    ],
  };
}

export function controllerManagerCommand(binDir: string, l: Layout): CommandSpec {
  const kubeconfig = l.componentKubeconfig("controller-manager");
  return {
    bin: join(binDir, "kube-controller-manager"),
    args: [
      `--kubeconfig=${kubeconfig}`,
      `--authentication-kubeconfig=${kubeconfig}`,
      `--authorization-kubeconfig=${kubeconfig}`,
      "--bind-address=127.0.0.1",
      "--secure-port=0",
      "--leader-elect=false",
      "--use-service-account-credentials",
      `--service-account-private-key-file=${l.saKey}`,
      `--root-ca-file=${l.caCert}`,
      `--cluster-signing-cert-file=${l.caCert}`,
      `--cluster-signing-key-file=${l.caKey}`,
      // bootstrapsigner (signs cluster-info per token) and tokencleaner (deletes expired
      // tokens) are off by default; csrsigning/csrapproving (on by default) issue and approve
      // node client certificates with the cluster CA above.
      "--controllers=*,bootstrapsigner,tokencleaner",
    ],
  };
}

export function schedulerCommand(binDir: string, l: Layout, ports: Ports): CommandSpec {
  const kubeconfig = l.componentKubeconfig("scheduler");
  return {
    bin: join(binDir, "kube-scheduler"),
    args: [
      `--kubeconfig=${kubeconfig}`,
      `--authentication-kubeconfig=${kubeconfig}`,
      `--authorization-kubeconfig=${kubeconfig}`,
      "--bind-address=127.0.0.1",
      `--secure-port=${ports.scheduler}`,
      `--cert-dir=${join(l.pki, "scheduler-serving")}`,
      "--leader-elect=false",
    ],
  };
}
