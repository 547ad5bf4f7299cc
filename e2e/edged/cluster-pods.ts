/**
 * Helpers for the edged e2e tests: manifests for pods on one edge node, kubectl JSON reads and
 * a CRI view of what the node's containerd runs.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { testConfigYaml } from "../edge-agent/agent.js";
import { eventually, type TestCluster } from "../harness.js";

export interface PodJson {
  metadata: { name: string; uid: string; labels?: Record<string, string> };
  spec: { nodeName?: string };
  status: {
    phase?: string;
    podIP?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: {
      name: string;
      restartCount: number;
      ready: boolean;
      containerID?: string;
      state: {
        waiting?: { reason: string; message?: string };
        running?: object;
        terminated?: object;
      };
    }[];
  };
}

/**
 * Writes `dataDir/agent.yaml` for an agent of `node` running pods through the CRI `endpoint`,
 * with the kubelet API on `port` (0 = off) and any `otherModules` settings; returns its path.
 */
export async function writeEdgedConfig(
  cluster: TestCluster,
  node: string,
  dataDir: string,
  endpoint: string,
  port: number,
  otherModules: Record<string, object> = {},
): Promise<string> {
  const kubeconfig = await cluster.nodeIdentity(node);
  const config = parse(testConfigYaml(node, kubeconfig, dataDir)) as {
    modules: { edged: Record<string, unknown> } & Record<string, object>;
  };
  Object.assign(config.modules, otherModules);
  config.modules.edged.remoteRuntimeEndpoint = endpoint;
  config.modules.edged.port = port;
  // The run's containerd is shared: no agent may garbage-collect another test's images.
  config.modules.edged.imageGCHighThresholdPercent = 100;
  const file = join(dataDir, "agent.yaml");
  writeFileSync(file, stringify(config));
  return file;
}

export async function kubectlJson<T>(cluster: TestCluster, args: string[]): Promise<T> {
  const r = await cluster.kubectl([...args, "-o", "json"]);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/**
 * Creates a namespace for pods and waits for its default ServiceAccount: until the
 * controller-manager has made it, the ServiceAccount admission plugin refuses every pod there.
 */
export async function createPodNamespace(cluster: TestCluster, ns: string): Promise<void> {
  const created = await cluster.kubectl(["create", "namespace", ns]);
  if (created.code !== 0) throw new Error(`kubectl create namespace ${ns}: ${created.stderr}`);
  await eventually(
    `the default ServiceAccount in ${ns}`,
    async () => (await cluster.kubectl(["get", "serviceaccount", "default", "-n", ns])).code === 0,
    60_000,
  );
}

export async function apply(cluster: TestCluster, ...objects: object[]): Promise<void> {
  const input = JSON.stringify({ apiVersion: "v1", kind: "List", items: objects });
  const r = await cluster.kubectl(["apply", "-f", "-"], { input });
  if (r.code !== 0) throw new Error(`kubectl apply: ${r.stderr}`);
}

export async function podsWith(
  cluster: TestCluster,
  ns: string,
  selector: string,
): Promise<PodJson[]> {
  return (
    await kubectlJson<{ items: PodJson[] }>(cluster, ["get", "pods", "-n", ns, "-l", selector])
  ).items;
}

export const isReady = (p: PodJson): boolean =>
  p.status.phase === "Running" &&
  (p.status.conditions ?? []).some(c => c.type === "Ready" && c.status === "True");

/** A pod template bound to the edge node: nodeSelector plus the edge taint's toleration. */
export function edgePodSpec(node: string, spec: Record<string, unknown>): Record<string, unknown> {
  return {
    nodeSelector: { "kubernetes.io/hostname": node },
    tolerations: [
      { key: "node-role.kubernetes.io/edge", operator: "Exists", effect: "NoSchedule" },
    ],
    terminationGracePeriodSeconds: 1,
    ...spec,
  };
}

export function deployment(
  ns: string,
  name: string,
  replicas: number,
  podSpec: Record<string, unknown>,
): object {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: podSpec },
    },
  };
}

export function pod(ns: string, name: string, node: string, spec: Record<string, unknown>): object {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: { nodeName: node, terminationGracePeriodSeconds: 1, ...spec },
  };
}
