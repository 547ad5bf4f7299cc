/**
 * The cloud's half of the device loop, done with the admin kubeconfig for DeviceTwin's e2e
 * tests: what the Pepr profiles capability does (cloud-contract.md) — the node's profile
 * ConfigMap built from the Device, the per-node reader Role/RoleBinding, and the Node's
 * device-namespaces annotation. Used while that capability is not wired into the e2e runs.
 */
import {
  DEVICES_API_VERSION,
  NODE_DEVICE_NAMESPACES_ANNOTATION,
  PROFILE_CONFIGMAP_KEY,
  nodeUserName,
  profileConfigMapName,
  profileReaderRoleName,
  type DeviceProfile,
} from "@kubeedge-ts/contract";
import { eventually, type TestCluster } from "../harness.js";

export interface DeviceObject {
  metadata: { name: string; namespace: string; resourceVersion?: string };
  status?: {
    twins?: {
      propertyName: string;
      desired?: { value?: string };
      reported?: { value?: string; metadata?: Record<string, string> };
    }[];
    state?: string;
    lastOnlineTime?: string;
  };
}

export async function kubectlOk(
  cluster: TestCluster,
  args: string[],
  input?: string,
): Promise<string> {
  const r = await cluster.kubectl(args, input === undefined ? {} : { input });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

export async function getDevice(
  cluster: TestCluster,
  ns: string,
  name: string,
): Promise<DeviceObject> {
  return JSON.parse(
    await kubectlOk(cluster, ["get", "device", name, "-n", ns, "-o", "json"]),
  ) as DeviceObject;
}

export function thermoDevice(ns: string, name: string, desired: string): object {
  return {
    apiVersion: DEVICES_API_VERSION,
    kind: "Device",
    metadata: { name, namespace: ns },
    spec: { deviceModelRef: { name: "thermo-model" } },
    status: {
      twins: [
        { propertyName: "temperature", desired: { value: desired, metadata: { type: "int" } } },
      ],
    },
  };
}

/** The profile of one thermometer with the Device's desired values. */
export function profileFor(device: DeviceObject, base: DeviceProfile): DeviceProfile {
  const { name, namespace } = device.metadata;
  const inst = base.deviceInstances[0]!;
  return {
    ...base,
    deviceInstances: [
      {
        ...inst,
        id: `${namespace}/${name}`,
        name,
        namespace,
        twins: (device.status?.twins ?? [])
          .filter(t => t.desired?.value !== undefined)
          .map(t => ({ propertyName: t.propertyName, desired: { value: t.desired!.value } })),
      },
    ],
  };
}

/** Writes the node's profile ConfigMap from the Device as it is now (the reconciler's job). */
export async function syncProfile(
  cluster: TestCluster,
  node: string,
  device: DeviceObject,
  base: DeviceProfile,
): Promise<void> {
  const cm = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: profileConfigMapName(node), namespace: device.metadata.namespace },
    data: { [PROFILE_CONFIGMAP_KEY]: JSON.stringify(profileFor(device, base)) },
  };
  await kubectlOk(cluster, ["apply", "-f", "-"], JSON.stringify(cm));
}

/** Lets the node read its profile ConfigMap in `ns`, and tells it to (node annotation). */
export async function grantProfile(cluster: TestCluster, node: string, ns: string): Promise<void> {
  const name = profileReaderRoleName(node);
  const objects = [
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name, namespace: ns },
      rules: [
        {
          apiGroups: [""],
          resources: ["configmaps"],
          resourceNames: [profileConfigMapName(node)],
          verbs: ["get", "list", "watch"],
        },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name, namespace: ns },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: nodeUserName(node) }],
    },
  ];
  await kubectlOk(
    cluster,
    ["apply", "-f", "-"],
    JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }),
  );
  await eventually(
    "the node to register",
    async () => (await cluster.kubectl(["get", "node", node])).code === 0,
    60_000,
  );
  await kubectlOk(cluster, [
    "annotate",
    "node",
    node,
    "--overwrite",
    `${NODE_DEVICE_NAMESPACES_ANNOTATION}=${ns}`,
  ]);
}
