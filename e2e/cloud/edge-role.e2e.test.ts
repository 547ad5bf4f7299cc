/**
 * Who makes a Node an edge node. The agent labels its Node `node.kubeedge.io/edge-agent`, which
 * any kubelet can set on itself; the module grants `node-role.kubernetes.io/edge` only to nodes
 * on the admin's allow-list (ConfigMap kube-system/kubeedge-ts-edge-nodes), and a node can never
 * set the role label itself (NodeRestriction and rbac/edge-role-policy.yaml).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EDGE_AGENT_LABEL,
  EDGE_AGENT_LABEL_VALUE,
  EDGE_NODE_GRANTS_CONFIGMAP,
  EDGE_NODE_GRANTS_NAMESPACE,
  EDGE_NODE_ROLE_LABEL,
} from "@kubeedge-ts/contract";
import { eventually, testCluster, type TestCluster } from "../harness.js";
import { kubeRequest } from "../../local/kube/kube-request.js";
import { RBAC_DIR } from "../../local/cloud-runner/manifests.js";
import { allowEdgeNode } from "../../local/cloud-runner/edge-node-grants.js";
import { startModule, type RunningModule } from "../../local/cloud-runner/module-runner.js";

const SELF_MADE = "role-e2e-self-made";
const GRANTED = "role-e2e-granted";
const GRANTS = `/api/v1/namespaces/${EDGE_NODE_GRANTS_NAMESPACE}/configmaps/${EDGE_NODE_GRANTS_CONFIGMAP}`;

interface NodeReply {
  status: number;
  body: {
    message?: string;
    metadata?: { labels?: Record<string, string> };
    spec?: { taints?: { key: string }[] };
  };
}

const register = (kubeconfig: string, name: string, labels: Record<string, string>) =>
  kubeRequest(kubeconfig, "POST", "/api/v1/nodes", {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels },
  }) as Promise<NodeReply>;

const patchNode = (kubeconfig: string, name: string, body: object) =>
  kubeRequest(
    kubeconfig,
    "PATCH",
    `/api/v1/nodes/${name}`,
    body,
    "application/merge-patch+json",
  ) as Promise<NodeReply>;

describe("the edge role", () => {
  let cluster: TestCluster;
  let module: RunningModule | undefined;
  let selfMade: string;
  let granted: string;

  const roleOf = async (name: string): Promise<string | undefined> => {
    const r = (await kubeRequest(
      cluster.adminKubeconfig,
      "GET",
      `/api/v1/nodes/${name}`,
    )) as NodeReply;
    return r.body.metadata?.labels?.[EDGE_NODE_ROLE_LABEL];
  };

  beforeAll(async () => {
    cluster = testCluster();
    const rbac = await cluster.kubectl(["apply", "-f", RBAC_DIR]);
    expect(rbac.code, rbac.stderr).toBe(0);
    module = await startModule({ kubeconfig: cluster.adminKubeconfig });
    selfMade = await cluster.nodeIdentity(SELF_MADE, { edgeRole: false });
    granted = await cluster.nodeIdentity(GRANTED);
  });

  afterAll(async () => {
    await module?.stop();
    await cluster?.kubectl(["delete", "node", SELF_MADE, GRANTED, "--ignore-not-found"]);
    await kubeRequest(
      cluster.adminKubeconfig,
      "PATCH",
      GRANTS,
      { data: { [SELF_MADE]: null, [GRANTED]: null } },
      "application/merge-patch+json",
    );
  });

  it("a node cannot give itself the edge role", async () => {
    const agent = { [EDGE_AGENT_LABEL]: EDGE_AGENT_LABEL_VALUE };
    const withRole = await register(selfMade, SELF_MADE, { ...agent, [EDGE_NODE_ROLE_LABEL]: "" });
    expect(withRole.status).toBe(403);
    expect(withRole.body.message).toMatch(/node-role\.kubernetes\.io/);

    const plain = await register(selfMade, SELF_MADE, agent);
    expect(plain.status, plain.body.message).toBe(201);
    const relabel = await patchNode(selfMade, SELF_MADE, {
      metadata: { labels: { [EDGE_NODE_ROLE_LABEL]: "" } },
    });
    expect(relabel.status).toBe(403);

    // An allow-listed node registered after it gets the role: the module has seen both Nodes.
    expect((await register(granted, GRANTED, agent)).status).toBe(201);
    await eventually("the allow-listed node to get the edge role", async () =>
      (await roleOf(GRANTED)) === "" ? true : undefined,
    );
    expect(await roleOf(SELF_MADE)).toBeUndefined();
  });

  it("an admin putting the node on the allow-list grants the role at its next update", async () => {
    await allowEdgeNode(cluster.adminKubeconfig, SELF_MADE, "e2e: granted later");
    const touched = await patchNode(selfMade, SELF_MADE, {
      metadata: { annotations: { "e2e.kubeedge-ts/heartbeat": String(Date.now()) } },
    });
    expect(touched.status, touched.body.message).toBe(200);
    const node = await eventually("the edge role and its defaults", async () => {
      const r = (await kubeRequest(
        cluster.adminKubeconfig,
        "GET",
        `/api/v1/nodes/${SELF_MADE}`,
      )) as NodeReply;
      const taints = r.body.spec?.taints ?? [];
      return taints.some(t => t.key === EDGE_NODE_ROLE_LABEL) ? r.body : undefined;
    });
    expect(node.metadata?.labels?.[EDGE_NODE_ROLE_LABEL]).toBe("");
  });
});
