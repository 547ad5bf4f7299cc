/**
 * Device rules without the module: the node restriction (rbac/edge-nodes-policy.yaml) in
 * kube-system, which Pepr never sends to its webhooks, and a namespace's node allow-list
 * (rbac/namespace-nodes-policy.yaml). Both are applied with the RBAC. No module runs in this
 * file, so everything refused here is refused by the apiserver alone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NAMESPACE_ALLOWED_NODES_ANNOTATION } from "@kubeedge-ts/contract";
import { testCluster, type TestCluster } from "../harness.js";
import { kubeRequest } from "../../local/kube/kube-request.js";
import { crdsForTests, installCrds } from "../../local/cloud-runner/crds.js";
import { loadKube } from "../../local/kube/kube.js";
import { RBAC_DIR } from "../../local/cloud-runner/manifests.js";

const NS = "kube-system";
const OWNER = "policy-owner-node";
const INTRUDER = "policy-intruder-node";
const MODEL = "policy-e2e-switch";
const DEVICE = "policy-e2e-switch-01";
const DEVICES = `/apis/devices.kubeedge.io/v1alpha2/namespaces/${NS}/devices`;

const model = {
  apiVersion: "devices.kubeedge.io/v1alpha2",
  kind: "DeviceModel",
  metadata: { name: MODEL, namespace: NS },
  spec: { properties: [{ name: "power", type: { string: { accessMode: "ReadWrite" } } }] },
};

const device = (name: string, node: string): object => ({
  apiVersion: "devices.kubeedge.io/v1alpha2",
  kind: "Device",
  metadata: { name, namespace: NS },
  spec: {
    deviceModelRef: { name: MODEL },
    nodeSelector: {
      nodeSelectorTerms: [{ matchExpressions: [{ key: "", operator: "In", values: [node] }] }],
    },
  },
  status: {
    twins: [{ propertyName: "power", desired: { value: "ON", metadata: { type: "string" } } }],
  },
});

const reported = (value: string, desired?: string): object => ({
  status: {
    twins: [
      {
        propertyName: "power",
        reported: { value, metadata: { type: "string" } },
        ...(desired ? { desired: { value: desired, metadata: { type: "string" } } } : {}),
      },
    ],
    state: "online",
  },
});

interface Reply {
  status: number;
  body: { message?: string; status?: { twins?: { reported?: { value?: string } }[] } };
}

describe("node writes to Devices without the module (ValidatingAdmissionPolicy)", () => {
  let cluster: TestCluster;
  let owner: string;
  let intruder: string;

  const patch = (kubeconfig: string, name: string, body: object): Promise<Reply> =>
    kubeRequest(kubeconfig, "PATCH", `${DEVICES}/${name}`, body, "application/merge-patch+json");

  beforeAll(async () => {
    cluster = testCluster();
    await installCrds(loadKube(cluster.adminKubeconfig), crdsForTests());
    const rbac = await cluster.kubectl(["apply", "-f", RBAC_DIR]);
    expect(rbac.code, rbac.stderr).toBe(0);
    const objects = [model, device(DEVICE, OWNER)].map(o => JSON.stringify(o)).join("\n");
    const applied = await cluster.kubectl(["apply", "-f", "-"], { input: objects });
    expect(applied.code, applied.stderr).toBe(0);
    [owner, intruder] = await Promise.all([
      cluster.nodeIdentity(OWNER),
      cluster.nodeIdentity(INTRUDER),
    ]);
  });

  afterAll(async () => {
    await cluster?.kubectl(["delete", "-n", NS, "device", DEVICE, "--ignore-not-found"]);
    await cluster?.kubectl(["delete", "-n", NS, "devicemodel", MODEL, "--ignore-not-found"]);
  });

  it("a node cannot patch a Device in kube-system it is not bound to", async () => {
    const r = await patch(intruder, DEVICE, reported("OFF", "ON"));
    expect(r.status, JSON.stringify(r.body)).toBe(403);
    expect(r.body.message).toContain(
      `node ${INTRUDER} may not write Device ${NS}/${DEVICE}: it is bound to node ${OWNER}`,
    );
  });

  it("the bound node reports values of its Device in kube-system", async () => {
    const r = await patch(owner, DEVICE, reported("OFF", "ON"));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.status?.twins?.[0]?.reported?.value).toBe("OFF");
  });

  it("the bound node cannot set a desired value of its Device in kube-system", async () => {
    const r = await patch(owner, DEVICE, reported("OFF", "OFF"));
    expect(r.status, JSON.stringify(r.body)).toBe(403);
    expect(r.body.message).toContain("may not change the desired value of power");
  });

  it("the bound node cannot drop a desired value of its Device in kube-system", async () => {
    const r = await patch(owner, DEVICE, reported("OFF"));
    expect(r.status, JSON.stringify(r.body)).toBe(403);
    expect(r.body.message).toContain("would drop a desired value");
  });

  it("the bound node cannot rebind, relabel or delete its Device in kube-system", async () => {
    const rebind = await patch(owner, DEVICE, {
      spec: { deviceModelRef: { name: "another-model" } },
    });
    expect(rebind.status).toBe(403);
    expect(rebind.body.message).toContain("nodes may not change spec");
    const relabel = await patch(owner, DEVICE, { metadata: { labels: { stolen: "yes" } } });
    expect(relabel.status).toBe(403);
    expect(relabel.body.message).toContain("nodes may not change metadata.labels");
    // RBAC already refuses deletes and creates; the scope policy refuses them too, should a
    // broader role ever be granted to nodes.
    const del = await kubeRequest<Reply["body"]>(owner, "DELETE", `${DEVICES}/${DEVICE}`);
    expect(del.status).toBe(403);
  });

  it("a node cannot create a Device or change a DeviceModel in kube-system", async () => {
    const created = await kubeRequest<Reply["body"]>(
      owner,
      "POST",
      DEVICES,
      device("policy-e2e-planted", OWNER),
    );
    expect(created.status).toBe(403);
    const models = `/apis/devices.kubeedge.io/v1alpha2/namespaces/${NS}/devicemodels/${MODEL}`;
    const changed = await kubeRequest<Reply["body"]>(
      owner,
      "PATCH",
      models,
      { metadata: { labels: { x: "y" } } },
      "application/merge-patch+json",
    );
    expect(changed.status).toBe(403);
  });
});

describe("a namespace's node allow-list (ValidatingAdmissionPolicy)", () => {
  const TENANT = "policy-e2e-tenant";
  let cluster: TestCluster;

  const applyIn = (ns: string, ...objects: object[]) =>
    cluster.kubectl(["apply", "-n", ns, "-f", "-"], {
      input: objects
        .map(o =>
          JSON.stringify({
            ...o,
            metadata: { ...(o as { metadata: object }).metadata, namespace: ns },
          }),
        )
        .join("\n"),
    });

  beforeAll(async () => {
    cluster = testCluster();
    await installCrds(loadKube(cluster.adminKubeconfig), crdsForTests());
    const rbac = await cluster.kubectl(["apply", "-f", RBAC_DIR]);
    expect(rbac.code, rbac.stderr).toBe(0);
    const ns = JSON.stringify({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: TENANT,
        annotations: { [NAMESPACE_ALLOWED_NODES_ANNOTATION]: `${OWNER}, tenant-node-2` },
      },
    });
    const created = await cluster.kubectl(["apply", "-f", "-"], { input: ns });
    expect(created.code, created.stderr).toBe(0);
    expect((await applyIn(TENANT, model)).code).toBe(0);
  });

  afterAll(async () => {
    await cluster?.kubectl(["delete", "namespace", TENANT, "--wait=false"]);
  });

  it("a tenant cannot point a Device at a node outside its namespace's allow-list", async () => {
    const r = await applyIn(TENANT, device("pointed-elsewhere", INTRUDER));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      `spec.nodeSelector.nodeSelectorTerms[0].matchExpressions[0].values[0]: node ${INTRUDER} is not allowed in namespace ${TENANT}`,
    );
  });

  it("a Device bound to an allowed node is admitted", async () => {
    const r = await applyIn(TENANT, device("bound-to-allowed", OWNER));
    expect(r.code, r.stderr).toBe(0);
  });

  it("a namespace without the annotation accepts any node", async () => {
    const r = await applyIn("default", model, device("policy-e2e-anywhere", INTRUDER));
    expect(r.code, r.stderr).toBe(0);
    await cluster.kubectl(["delete", "-n", "default", "device", "policy-e2e-anywhere"]);
    await cluster.kubectl(["delete", "-n", "default", "devicemodel", MODEL]);
  });
});
