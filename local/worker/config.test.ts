import { parse } from "yaml";
import { defaultWorkerName } from "./worker.js";
import { kubeProxyConfiguration } from "./kube-proxy.js";
import { kubeletCommand, kubeletConfiguration } from "./kubelet.js";
import { workerLayout } from "./layout.js";

const l = workerLayout("/tmp/kts-cluster");

describe("the worker's kubelet and kube-proxy settings", () => {
  it("keeps the kubelet on the machine's terms, its own folder and a free port", () => {
    const config = parse(
      kubeletConfiguration(l, {
        containerdEndpoint: "unix:///tmp/kts-cluster/worker/containerd/containerd.sock",
        clientCaFile: "/tmp/kts-cluster/pki/ca.crt",
        port: 41234,
      }),
    ) as Record<string, unknown>;
    expect(config).toMatchObject({
      kind: "KubeletConfiguration",
      cgroupDriver: "cgroupfs",
      failSwapOn: false,
      port: 41234,
      readOnlyPort: 0,
      healthzPort: 0,
      enforceNodeAllocatable: [],
      authentication: {
        x509: { clientCAFile: "/tmp/kts-cluster/pki/ca.crt" },
        anonymous: { enabled: false },
      },
      authorization: { mode: "Webhook" },
      podLogsDir: "/tmp/kts-cluster/worker/pod-logs",
      imageGCHighThresholdPercent: 100,
    });
    const args = kubeletCommand("/bin-dir", l, {
      nodeName: "kts-cluster-worker",
      nodeIp: "192.0.2.2",
      kubeconfig: "/tmp/kts-cluster/kts-cluster-worker.kubeconfig",
    }).args;
    expect(args).toContain("--node-ip=192.0.2.2");
    expect(args).toContain("--root-dir=/tmp/kts-cluster/worker/kubelet");
    // Every argument path is inside the cluster folder: that is how its PID is recognised.
    expect(args.some(a => a.includes("/tmp/kts-cluster/"))).toBe(true);
  });

  it("runs kube-proxy in iptables mode for the worker's pod subnet, host sysctls untouched", () => {
    const config = parse(
      kubeProxyConfiguration(l, {
        nodeName: "kts-cluster-worker",
        clusterCidr: "10.213.9.0/24",
        healthzPort: 40001,
        metricsPort: 40002,
      }),
    ) as Record<string, unknown>;
    expect(config).toMatchObject({
      mode: "iptables",
      clusterCIDR: "10.213.9.0/24",
      hostnameOverride: "kts-cluster-worker",
      healthzBindAddress: "127.0.0.1:40001",
      metricsBindAddress: "127.0.0.1:40002",
      conntrack: { maxPerCore: 0, min: 0 },
      iptables: { localhostNodePorts: false },
      clientConnection: { kubeconfig: "/tmp/kts-cluster/worker/pki/kube-proxy.kubeconfig" },
    });
  });

  it("names the worker after its cluster folder, as a valid node name", () => {
    expect(defaultWorkerName("/tmp/kubeedge-ts/cluster")).toBe("cluster-worker");
    expect(defaultWorkerName("/tmp/kubeedge-ts-worker-AbC_12")).toBe(
      "kubeedge-ts-worker-abc-12-worker",
    );
  });
});
