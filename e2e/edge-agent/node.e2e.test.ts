import { rmSync } from "node:fs";
import { EDGE_NODE_ROLE_LABEL, profileConfigMapName } from "@kubeedge-ts/contract";
import { newMessage, ModuleName, Operation, type Agent } from "@kubeedge-ts/edge-agent";
import { eventually, testCluster } from "../harness.js";
import { crdsForTests, installCrds } from "../../local/cloud-runner/crds.js";
import { kubeRequest } from "../../local/kube/kube-request.js";
import { loadKube } from "../../local/kube/kube.js";
import { getJson, inProcessAgent, metricFromRegistry } from "./agent.js";

const cluster = testCluster();
const NODE = "ea-node-1";
const OTHER = "ea-node-other";
let agent: Agent;
let dataDir: string;

interface NodeObj {
  metadata: { labels?: Record<string, string> };
  spec: { taints?: { key: string }[] };
  status: { conditions?: { type: string; status: string }[]; allocatable?: Record<string, string> };
}

async function kubectlJson<T>(args: string[]): Promise<T> {
  const r = await cluster.kubectl([...args, "-o", "json"]);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

async function apply(manifest: object): Promise<void> {
  const r = await cluster.kubectl(["apply", "-f", "-"], { input: JSON.stringify(manifest) });
  if (r.code !== 0) throw new Error(`apply failed: ${r.stderr}`);
}

const pod = (name: string, node?: string): object => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default" },
  spec: {
    ...(node ? { nodeName: node } : { nodeSelector: { "kubernetes.io/hostname": NODE } }),
    volumes: [{ name: "cfg", configMap: { name: "ea-cfg" } }],
    containers: [
      {
        name: "c",
        image: "registry.k8s.io/pause:3.10",
        volumeMounts: [{ name: "cfg", mountPath: "/cfg" }],
      },
    ],
  },
});

beforeAll(async () => {
  // The Device CRD is served, so a refused devices read is the authorizer's 403, not a 404.
  await installCrds(loadKube(cluster.adminKubeconfig), crdsForTests());
  await apply({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "ea-cfg", namespace: "default" },
    data: { a: "1" },
  });
  ({ agent, dataDir } = await inProcessAgent(cluster, NODE));
});

afterAll(async () => {
  await agent?.stop();
  await cluster.kubectl([
    "delete",
    "pod",
    "ea-web",
    "ea-foreign",
    "--ignore-not-found",
    "--wait=false",
  ]);
  await cluster.kubectl(["delete", "node", NODE, OTHER, "--ignore-not-found"]);
  await cluster.kubectl([
    "delete",
    "configmap",
    "ea-cfg",
    profileConfigMapName(OTHER),
    "--ignore-not-found",
  ]);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("edge agent node lifecycle", () => {
  it("registers its Node, which becomes Ready and loses the not-ready taint", async () => {
    const node = await eventually(
      "the node to be Ready without the not-ready taint",
      async () => {
        const n = await kubectlJson<NodeObj>(["get", "node", NODE]);
        const ready = n.status.conditions?.find(c => c.type === "Ready")?.status === "True";
        const tainted = n.spec.taints?.some(t => t.key.startsWith("node.kubernetes.io/"));
        return ready && !tainted ? n : undefined;
      },
      60_000,
    );
    expect(Number(node.status.allocatable?.pods)).toBeGreaterThan(0);
    expect(node.metadata.labels?.["kubernetes.io/hostname"]).toBe(NODE);
    // NodeRestriction forbids a node to give itself node-role.kubernetes.io labels, so the agent
    // registers without the edge role (the cloud's nodes capability, not running here, adds it)
    // and is connected all the same.
    expect(node.metadata.labels?.[EDGE_NODE_ROLE_LABEL]).toBeUndefined();
    expect(agent.cloudConnected()).toBe(true);
    const lease = await kubectlJson<{ spec: { holderIdentity: string } }>([
      "get",
      "lease",
      "-n",
      "kube-node-lease",
      NODE,
    ]);
    expect(lease.spec.holderIdentity).toBe(NODE);
  });

  it("caches a pod the scheduler binds to it within a second, with its configmap", async () => {
    await apply(pod("ea-web"));
    let boundAt = 0;
    await eventually(
      "the scheduler to bind the pod",
      async () => {
        const p = await kubectlJson<{ spec: { nodeName?: string } }>(["get", "pod", "ea-web"]);
        if (p.spec.nodeName === NODE) boundAt = Date.now();
        return p.spec.nodeName === NODE;
      },
      // After other suites restarted the apiserver, kube-scheduler's informers may still be
      // backing off (up to ~30 s) before they see a new node.
      90_000,
      25,
    );
    const seenAt = await eventually(
      "the pod in the agent's store",
      async () => (agent.meta.get("Pod", "default", "ea-web") ? Date.now() : undefined),
      5_000,
      10,
    );
    expect(seenAt - boundAt).toBeLessThan(1000);
    await eventually("the referenced configmap in the store", async () =>
      agent.meta.get("ConfigMap", "default", "ea-cfg"),
    );
    expect(metricFromRegistry(agent, "kubeedge_edge_pod_starts_total")).toBe(1);
    const listed = await getJson<{ name: string }[]>(agent.healthPort, "/api/meta/Pod/default");
    expect(listed.map(o => o.name)).toContain("ea-web");
  });

  it("answers a meta query over the bus from its store", async () => {
    const reply = await agent.bus.sendSync(
      ModuleName.MetaManager,
      newMessage(
        { source: "test", resource: "default/configmap/ea-cfg", operation: Operation.Query },
        { kind: "ConfigMap", namespace: "default", name: "ea-cfg" },
      ),
      5_000,
    );
    expect(reply.router.operation).toBe(Operation.Response);
    expect((reply.content as { data: Record<string, string> }).data).toEqual({ a: "1" });
  });

  it("reports healthz and metrics on its local port", async () => {
    const h = await getJson<{ status: string; cloudConnected: boolean }>(
      agent.healthPort,
      "/healthz",
    );
    expect(h).toMatchObject({ status: "ok", cloudConnected: true });
    const text = await (await fetch(`http://127.0.0.1:${agent.healthPort}/metrics`)).text();
    for (const name of [
      "kubeedge_edge_cloud_connected 1",
      "kubeedge_edge_outbox_depth",
      "kubeedge_edge_watch_restarts_total",
      "kubeedge_edge_reports_sent_total",
    ]) {
      expect(text).toContain(name);
    }
  });

  it("finalizes a pod deleted in the cloud, as kubelet does", async () => {
    const r = await cluster.kubectl(["delete", "pod", "ea-web", "--wait=false"]);
    expect(r.code).toBe(0);
    await eventually(
      "the pod to be gone from the cluster and the store",
      async () => {
        const get = await cluster.kubectl([
          "get",
          "pod",
          "ea-web",
          "--ignore-not-found",
          "-o",
          "name",
        ]);
        return get.stdout.trim() === "" && !agent.meta.get("Pod", "default", "ea-web");
      },
      30_000,
    );
    expect(metricFromRegistry(agent, "kubeedge_edge_pod_stops_total")).toBe(1);
  });

  it("cannot read another node's pods or device profile with its identity", async () => {
    await apply({ apiVersion: "v1", kind: "Node", metadata: { name: OTHER } });
    await apply(pod("ea-foreign", OTHER));
    await apply({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: profileConfigMapName(OTHER), namespace: "default" },
      data: { "deviceProfile.json": "{}" },
    });
    const kc = await cluster.nodeIdentity(NODE);
    const attempts = [
      "/api/v1/namespaces/default/pods/ea-foreign",
      `/api/v1/pods?fieldSelector=spec.nodeName%3D${OTHER}`,
      "/api/v1/pods",
      `/api/v1/namespaces/default/configmaps/${profileConfigMapName(OTHER)}`,
      `/api/v1/namespaces/default/configmaps?fieldSelector=metadata.name%3D${profileConfigMapName(OTHER)}`,
      "/apis/devices.kubeedge.io/v1alpha2/namespaces/default/devices",
      "/apis/devices.kubeedge.io/v1alpha2/devices",
    ];
    for (const path of attempts) {
      const r = await kubeRequest(kc, "GET", path);
      // The Node authorizer and RBAC refuse all of them: nodes may only patch Devices.
      expect(r.status, path).toBe(403);
    }
    const own = await kubeRequest(kc, "GET", `/api/v1/pods?fieldSelector=spec.nodeName%3D${NODE}`);
    expect(own.status).toBe(200);
  });
});
