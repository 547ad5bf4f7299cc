/**
 * The blast radius of a stopped module. Its webhooks keep `failurePolicy: Fail`, so whatever
 * they match is refused while the module is down; the Node and Pod webhooks match only what the
 * capabilities act on (local/cloud-runner/webhook-scopes.ts), so the rest of the cluster keeps
 * working. The module is killed with SIGKILL, which leaves its webhook configurations behind
 * exactly as a crashed module does.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, testCluster, type TestCluster } from "../harness.js";
import { startModule, type RunningModule } from "../../local/cloud-runner/module-runner.js";

const NS = "module-down-e2e";
const EDGE = "module-down-edge";
const CLOUD = "module-down-cloud";

const node = (name: string, labels: Record<string, string>): string =>
  JSON.stringify({ apiVersion: "v1", kind: "Node", metadata: { name, labels } });

const pod = (name: string, nodeSelector?: Record<string, string>): string =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: NS },
    spec: {
      containers: [{ name: "c", image: "registry.k8s.io/pause:3.10" }],
      ...(nodeSelector ? { nodeSelector } : {}),
    },
  });

describe("a stopped module", () => {
  let cluster: TestCluster;
  let module: RunningModule | undefined;

  const apply = (text: string) => cluster.kubectl(["apply", "-f", "-"], { input: text });

  beforeAll(async () => {
    cluster = testCluster();
    await cluster.kubectl(["create", "namespace", NS]);
    // Pod creates need the namespace's default ServiceAccount (the controller-manager adds it).
    await eventually("default ServiceAccount", async () => {
      const r = await cluster.kubectl(["get", "serviceaccount", "default", "-n", NS]);
      return r.code === 0;
    });
    // A crashed module that stays down: no restarts (a Deployment's pod in CrashLoopBackOff).
    module = await startModule({ kubeconfig: cluster.adminKubeconfig, restart: false });
    const edge = await apply(node(EDGE, { "node-role.kubernetes.io/edge": "" }));
    expect(edge.code, edge.stderr).toBe(0);
    const plain = await apply(node(CLOUD, {}));
    expect(plain.code, plain.stderr).toBe(0);
    // The Node webhook ran for the new edge node (defaults), so the module was live.
    const taints = await cluster.kubectl(["get", "node", EDGE, "-o", "jsonpath={.spec.taints}"]);
    expect(taints.stdout).toContain("node-role.kubernetes.io/edge");
    process.kill(module.pid, "SIGKILL");
    await module.exited;
  });

  afterAll(async () => {
    await module?.stop();
    await cluster?.kubectl(["delete", "namespace", NS, "--wait=false"]);
    await cluster?.kubectl(["delete", "node", EDGE, CLOUD, "--ignore-not-found"]);
  });

  it("does not block creating a pod that does not target edge nodes", async () => {
    const r = await apply(pod("plain"));
    expect(r.code, r.stderr).toBe(0);
  });

  it("does not block cordoning an edge node or a cloud node", async () => {
    for (const name of [EDGE, CLOUD]) {
      const r = await cluster.kubectl(["cordon", name]);
      expect(r.code, r.stderr).toBe(0);
    }
  });

  it("still refuses a pod bound for edge nodes (the webhook fails closed)", async () => {
    const r = await apply(pod("edge", { "node-role.kubernetes.io/edge": "" }));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/failed calling webhook "pods\.pepr-[\w-]+\.pepr\.dev"/);
  });

  it("still refuses a node gaining the edge role (its defaults could not be applied)", async () => {
    const r = await cluster.kubectl(["label", "node", CLOUD, "node-role.kubernetes.io/edge="]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/failed calling webhook "nodes\.pepr-[\w-]+\.pepr\.dev"/);
  });
});
