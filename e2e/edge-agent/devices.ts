/**
 * Makes Device objects available to an edge-agent test: the Device CRD (the project's own from
 * crds/ when present, else a minimal stand-in removed afterwards) and the cloud's grant that
 * lets nodes patch devices (rbac/edge-nodes.yaml), under an e2e-only name.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DEVICES_GROUP, DEVICE_PLURAL, NODES_GROUP } from "@kubeedge-ts/contract";
import { eventually, type TestCluster } from "../harness.js";

const CRD_NAME = `${DEVICE_PLURAL}.${DEVICES_GROUP}`;
const GRANT = "kubeedge-ts-e2e-edge-agent-device-patch";

const standInCrd = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: CRD_NAME },
  spec: {
    group: DEVICES_GROUP,
    scope: "Namespaced",
    names: { plural: DEVICE_PLURAL, singular: "device", kind: "Device" },
    versions: [
      {
        name: "v1alpha2",
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
        },
      },
    ],
  },
};

function projectCrdFile(): string | undefined {
  const dir = resolve(import.meta.dirname, "../../crds");
  if (!existsSync(dir)) return undefined;
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap(e =>
      e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
    );
  return walk(dir).find(
    f => /\.ya?ml$/.test(f) && readFileSync(f, "utf8").includes(`name: ${CRD_NAME}`),
  );
}

/** Returns a cleanup function that removes only what this call created. */
export async function ensureDevices(cluster: TestCluster): Promise<() => Promise<void>> {
  const had = (await cluster.kubectl(["get", "crd", CRD_NAME])).code === 0;
  if (!had) {
    const file = projectCrdFile();
    const r = file
      ? await cluster.kubectl(["apply", "-f", file])
      : await cluster.kubectl(["create", "-f", "-"], { input: JSON.stringify(standInCrd) });
    if (r.code !== 0) throw new Error(`installing the Device CRD failed: ${r.stderr}`);
  }
  await eventually("the Device CRD to be established", async () => {
    const r = await cluster.kubectl([
      "get",
      "crd",
      CRD_NAME,
      "-o",
      "jsonpath={.status.conditions[?(@.type=='Established')].status}",
    ]);
    return r.stdout === "True";
  });
  const grant = [
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: GRANT },
      rules: [{ apiGroups: [DEVICES_GROUP], resources: [DEVICE_PLURAL], verbs: ["patch"] }],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: GRANT },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: GRANT },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: NODES_GROUP }],
    },
  ];
  const r = await cluster.kubectl(["apply", "-f", "-"], {
    input: JSON.stringify({ apiVersion: "v1", kind: "List", items: grant }),
  });
  if (r.code !== 0) throw new Error(`granting device patch failed: ${r.stderr}`);
  return async () => {
    await cluster.kubectl([
      "delete",
      "clusterrolebinding,clusterrole",
      GRANT,
      "--ignore-not-found",
    ]);
    if (!had) await cluster.kubectl(["delete", "crd", CRD_NAME, "--ignore-not-found"]);
  };
}

/** A Device bound to `node`: the admission policy lets a node write only its own Devices. */
export function device(name: string, node: string, namespace = "default"): object {
  return {
    apiVersion: `${DEVICES_GROUP}/v1alpha2`,
    kind: "Device",
    metadata: { name, namespace },
    spec: {
      deviceModelRef: { name: "ea-model" },
      nodeSelector: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: "", operator: "In", values: [node] }] }],
      },
    },
    status: {
      twins: [{ propertyName: "temperature", desired: { value: "0", metadata: { type: "int" } } }],
    },
  };
}
