/**
 * The worker's kube-proxy in iptables mode: it turns Services (the `kubernetes` Service first of
 * all) into NAT rules on this host, so the worker's pods reach the apiserver and each other at
 * ClusterIPs. Its identity is `system:kube-proxy`, which the default `system:node-proxier`
 * binding authorizes. Host-wide settings it would change (conntrack sysctls, route_localnet for
 * NodePorts on 127.0.0.1) are left alone, and its listeners take free loopback ports (an empty
 * address would mean the fixed defaults 10256/10249).
 */
import { join } from "node:path";
import { stringify } from "yaml";
import type { CommandSpec } from "../control-plane/processes.js";
import type { WorkerLayout } from "./layout.js";

export interface KubeProxySettings {
  nodeName: string;
  /** The worker's pod subnet: traffic from outside it to a Service is masqueraded. */
  clusterCidr: string;
  healthzPort: number;
  metricsPort: number;
}

export function kubeProxyConfiguration(l: WorkerLayout, s: KubeProxySettings): string {
  return stringify({
    apiVersion: "kubeproxy.config.k8s.io/v1alpha1",
    kind: "KubeProxyConfiguration",
    mode: "iptables",
    hostnameOverride: s.nodeName,
    clusterCIDR: s.clusterCidr,
    clientConnection: { kubeconfig: l.kubeProxyKubeconfig },
    healthzBindAddress: `127.0.0.1:${s.healthzPort}`,
    metricsBindAddress: `127.0.0.1:${s.metricsPort}`,
    // Zero: keep the kernel's conntrack table size and timeouts as they are.
    conntrack: {
      maxPerCore: 0,
      min: 0,
      tcpEstablishedTimeout: "0s",
      tcpCloseWaitTimeout: "0s",
    },
    // true would set net.ipv4.conf.all.route_localnet=1 on the host.
    iptables: { localhostNodePorts: false, masqueradeAll: false },
    nodePortAddresses: ["primary"],
  });
}

export function kubeProxyCommand(binDir: string, l: WorkerLayout): CommandSpec {
  return {
    bin: join(binDir, "kube-proxy"),
    args: [`--config=${l.kubeProxyConfig}`, "--v=1"],
  };
}

/** `kube-proxy --cleanup`: removes the rules of every proxy mode, then exits. */
export function kubeProxyCleanupCommand(binDir: string): CommandSpec {
  return { bin: join(binDir, "kube-proxy"), args: ["--cleanup", "--v=1"] };
}
