import { eventually, testCluster } from "../harness.js";
import { kubeRequest } from "../../local/kube/kube-request.js";

const cluster = testCluster();

async function kubectlJson<T = Record<string, unknown>>(
  args: string[],
  kubeconfig?: string,
): Promise<T> {
  const r = await cluster.kubectl([...args, "-o", "json"], { kubeconfig });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

async function apply(manifest: object, kubeconfig?: string): Promise<void> {
  const r = await cluster.kubectl(["apply", "-f", "-"], {
    kubeconfig,
    input: JSON.stringify(manifest),
  });
  if (r.code !== 0) throw new Error(`apply failed: ${r.stderr}`);
}

interface Items<T> {
  items: T[];
}
interface PodLike {
  metadata: { name: string; labels?: Record<string, string> };
  spec: { nodeName?: string };
}

describe("local control plane", () => {
  it("installs a CRD and stores and returns a custom resource", async () => {
    await apply({
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "widgets.test.kubeedge.io" },
      spec: {
        group: "test.kubeedge.io",
        scope: "Namespaced",
        names: { plural: "widgets", singular: "widget", kind: "Widget" },
        versions: [
          {
            name: "v1",
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: "object",
                properties: { spec: { type: "object", properties: { size: { type: "integer" } } } },
              },
            },
          },
        ],
      },
    });
    await eventually("the CRD to be established", async () => {
      const crd = await kubectlJson<{
        status?: { conditions?: { type: string; status: string }[] };
      }>(["get", "crd", "widgets.test.kubeedge.io"]);
      return crd.status?.conditions?.some(c => c.type === "Established" && c.status === "True");
    });
    await eventually("the widget to be accepted", async () => {
      await apply({
        apiVersion: "test.kubeedge.io/v1",
        kind: "Widget",
        metadata: { name: "w1", namespace: "default" },
        spec: { size: 7 },
      });
      return true;
    });
    const widget = await kubectlJson<{ spec: { size: number } }>([
      "get",
      "widget",
      "w1",
      "-n",
      "default",
    ]);
    expect(widget.spec.size).toBe(7);
  });

  it("turns a Deployment into a ReplicaSet and Pods (the controller-manager runs)", async () => {
    await apply({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "default" },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { containers: [{ name: "web", image: "nginx:1.27" }] },
        },
      },
    });
    const rs = await eventually("a ReplicaSet", async () => {
      const list = await kubectlJson<Items<{ metadata: { name: string } }>>([
        "get",
        "rs",
        "-n",
        "default",
        "-l",
        "app=web",
      ]);
      return list.items[0];
    });
    expect(rs.metadata.name).toMatch(/^web-/);
    const pods = await eventually("two Pods", async () => {
      const list = await kubectlJson<Items<PodLike>>([
        "get",
        "pods",
        "-n",
        "default",
        "-l",
        "app=web",
      ]);
      return list.items.length === 2 ? list.items : undefined;
    });
    expect(pods.map(p => p.metadata.labels?.app)).toEqual(["web", "web"]);
  });

  it("binds a Pod with a nodeSelector to a Node registered with a node identity (the scheduler runs)", async () => {
    const node = "cp-node-1";
    const kubeconfig = await cluster.nodeIdentity(node);
    await apply(
      {
        apiVersion: "v1",
        kind: "Node",
        metadata: {
          name: node,
          labels: { "kubernetes.io/hostname": node, "kubeedge-ts/test": "bind" },
        },
      },
      kubeconfig,
    );
    const now = new Date().toISOString();
    const status = {
      status: {
        allocatable: { cpu: "2", memory: "2Gi", pods: "110" },
        capacity: { cpu: "2", memory: "2Gi", pods: "110" },
        conditions: [
          {
            type: "Ready",
            status: "True",
            reason: "KubeletReady",
            message: "test node",
            lastHeartbeatTime: now,
            lastTransitionTime: now,
          },
        ],
      },
    };
    // kubectl would GET nodes/status first, which a node may not; a kubelet only patches it.
    const patched = await kubeRequest(
      kubeconfig,
      "PATCH",
      `/api/v1/nodes/${node}/status`,
      status,
      "application/merge-patch+json",
    );
    expect(patched.status).toBe(200);
    await eventually("the not-ready taint to be removed", async () => {
      const n = await kubectlJson<{ spec: { taints?: { key: string }[] } }>(["get", "node", node]);
      return !(n.spec.taints ?? []).some(t => t.key === "node.kubernetes.io/not-ready");
    });
    await apply({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "pinned", namespace: "default" },
      spec: {
        nodeSelector: { "kubeedge-ts/test": "bind" },
        containers: [{ name: "c", image: "busybox" }],
      },
    });
    const bound = await eventually("the pod to be bound", async () => {
      const pod = await kubectlJson<PodLike>(["get", "pod", "pinned", "-n", "default"]);
      return pod.spec.nodeName;
    });
    expect(bound).toBe(node);

    // The node sees its own pod through the field selector it is required to use.
    const own = await kubectlJson<Items<PodLike>>(
      ["get", "pods", "-A", "--field-selector", `spec.nodeName=${node}`],
      kubeconfig,
    );
    expect(own.items.map(p => p.metadata.name)).toContain("pinned");
  });

  it("refuses a node identity that lists pods without its own nodeName selector or reads another Node", async () => {
    const kubeconfig = await cluster.nodeIdentity("cp-node-2");
    const allPods = await cluster.kubectl(["get", "pods", "-A"], { kubeconfig });
    expect(allPods.code).not.toBe(0);
    expect(allPods.stderr).toMatch(/forbidden.*spec\.nodeName field selector/);

    const otherPods = await cluster.kubectl(
      ["get", "pods", "-A", "--field-selector", "spec.nodeName=cp-node-1"],
      { kubeconfig },
    );
    expect(otherPods.code).not.toBe(0);
    expect(otherPods.stderr).toMatch(/forbidden/);

    const otherNode = await cluster.kubectl(["get", "node", "cp-node-1"], { kubeconfig });
    expect(otherNode.code).not.toBe(0);
    expect(otherNode.stderr).toMatch(/cannot read 'cp-node-1', only its own Node object/);
  });
});
