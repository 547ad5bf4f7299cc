/** Creating and removing edgemark's objects with the admin identity, through admission. */
import { DEVICES_API_VERSION, NODE_LEASE_NAMESPACE } from "@kubeedge-ts/contract";
import { eventually } from "@kubeedge-ts/testkit";
import { ApiError, isRetryable, type KubeClient } from "../../edge-agent/src/kube/client.js";
import { pool } from "../cloud-cluster.js";
import {
  appConfigMap,
  desiredPatch,
  edgemarkDevice,
  edgemarkModel,
  edgemarkNamespace,
  edgemarkPod,
  EDGEMARK_NAMESPACE,
} from "./fleet-objects.js";

const NS = EDGEMARK_NAMESPACE;
const DEVICES = `/apis/${DEVICES_API_VERSION}/namespaces/${NS}/devices`;
const MODELS = `/apis/${DEVICES_API_VERSION}/namespaces/${NS}/devicemodels`;

const devicePath = (name: string): string => `${DEVICES}/${name}`;

/**
 * Creates `body`; one that exists already counts as created. An overloaded apiserver or module
 * (a webhook call timing out, 429, a dropped connection) is retried a few times with backoff:
 * the bench loads the machine on purpose.
 */
async function createIgnoringExisting(client: KubeClient, path: string, body: object) {
  for (let attempt = 1; ; attempt++) {
    try {
      return void (await client.request("POST", path, { body }));
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) return;
      if (attempt >= 6 || !isRetryable(error)) throw error;
      await new Promise(r => setTimeout(r, 500 * 2 ** attempt));
    }
  }
}

/** Namespace (with its default ServiceAccount, which pods need), app ConfigMap, DeviceModel. */
export async function prepareNamespace(client: KubeClient): Promise<void> {
  await createIgnoringExisting(client, "/api/v1/namespaces", edgemarkNamespace());
  await eventually(
    "the edgemark namespace's default ServiceAccount",
    () => client.get(`/api/v1/namespaces/${NS}/serviceaccounts/default`).then(() => true),
    60_000,
    200,
  );
  await createIgnoringExisting(client, `/api/v1/namespaces/${NS}/configmaps`, appConfigMap());
  await createIgnoringExisting(client, MODELS, edgemarkModel());
}

/** D Devices per node; the first is retried until the module's model lookup admits it. */
export async function createDevices(
  client: KubeClient,
  nodes: string[],
  perNode: number,
  reportSeconds: number,
): Promise<void> {
  const devices = nodes.flatMap(n =>
    Array.from({ length: perNode }, (_, j) => edgemarkDevice(n, j, reportSeconds)),
  );
  if (devices.length === 0) return;
  await eventually(
    "the first Device to be admitted",
    () => createIgnoringExisting(client, DEVICES, devices[0]!).then(() => true),
    60_000,
    500,
  );
  await pool(devices.slice(1), 20, d => createIgnoringExisting(client, DEVICES, d));
}

export async function createPods(client: KubeClient, nodes: string[], perNode: number) {
  const pods = nodes.flatMap(n => Array.from({ length: perNode }, (_, k) => edgemarkPod(n, k)));
  await pool(pods, 20, p => createIgnoringExisting(client, `/api/v1/namespaces/${NS}/pods`, p));
}

export async function createDevice(client: KubeClient, device: object): Promise<void> {
  await client.request("POST", DEVICES, { body: device });
}

export async function deleteDevice(client: KubeClient, name: string): Promise<void> {
  await client.request("DELETE", devicePath(name));
}

/** A user's desired-value change (merge patch of the Device, as `kubectl patch`). */
export async function patchDesired(client: KubeClient, device: string, value: string) {
  await client.request("PATCH", devicePath(device), {
    body: desiredPatch(value),
    contentType: "application/merge-patch+json",
  });
}

export const DEVICES_PATH = DEVICES;

/** Removes the namespace, the hollow Nodes and their Leases (a shared cluster stays clean). */
export async function removeFleetObjects(client: KubeClient, nodes: string[]): Promise<void> {
  const ignore = (): undefined => undefined;
  await client.request("DELETE", `/api/v1/namespaces/${NS}`).catch(ignore);
  await pool(nodes, 20, async n => {
    await client.request("DELETE", `/api/v1/nodes/${n}`).catch(ignore);
    await client
      .request(
        "DELETE",
        `/apis/coordination.k8s.io/v1/namespaces/${NODE_LEASE_NAMESPACE}/leases/${n}`,
      )
      .catch(ignore);
  });
}
