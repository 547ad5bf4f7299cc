/**
 * How fast device profiles follow the devices: 1,000 Devices over 100 edge nodes, created with
 * 20 requests in flight; the clock stops when every node's profile ConfigMap lists all of its
 * devices. Also prints bytes per device in a profile and what fits under the 1 MiB limit.
 *
 *   node --import tsx bench/cloud-profiles.ts [--kubeconfig K] [--devices 1000] [--nodes 100]
 */
import { PROFILE_CONFIGMAP_KEY } from "@kubeedge-ts/contract";
import { MAX_PROFILE_BYTES } from "../capabilities/profiles/document.js";
import { paths } from "../capabilities/profiles/kube-client.js";
import {
  devicePaths,
  MANAGED_SELECTOR,
  type ConfigMapLike,
} from "../capabilities/profiles/objects.js";
import { benchCloud, pool } from "./cloud-cluster.js";
import { benchDevice, benchModel } from "./cloud-objects.js";

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};

const NS = "bench-profiles";
const DEVICES = arg("devices", 1000);
const NODES = arg("nodes", 100);

async function profiledDevices(
  client: import("../capabilities/profiles/kube-client.js").KubeClient,
): Promise<{ devices: number; bytes: number; configMaps: number }> {
  const cms = await client.list<ConfigMapLike>(paths.configMaps(NS), MANAGED_SELECTOR);
  let devices = 0;
  let bytes = 0;
  for (const cm of cms) {
    const doc = cm.data?.[PROFILE_CONFIGMAP_KEY] ?? "{}";
    bytes += Buffer.byteLength(doc);
    devices += (JSON.parse(doc).deviceInstances ?? []).length;
  }
  return { devices, bytes, configMaps: cms.length };
}

async function main(): Promise<void> {
  const cloud = await benchCloud();
  const client = cloud.kube.client;
  try {
    await cloud.kube.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
    await client.create(devicePaths.models(NS), benchModel(NS));
    await pool(
      Array.from({ length: NODES }, (_, i) => `bench-node-${i}`),
      20,
      async name => {
        await client.apply(paths.node(name), {
          apiVersion: "v1",
          kind: "Node",
          metadata: { name },
        });
      },
    );
    const devices = Array.from({ length: DEVICES }, (_, i) =>
      benchDevice(NS, `dev-${i}`, `bench-node-${i % NODES}`),
    );
    const t0 = performance.now();
    const createMs = await pool(
      devices,
      20,
      async d => void (await client.create(devicePaths.devices(NS), d)),
    );
    const created = performance.now() - t0;
    let seen = { devices: 0, bytes: 0, configMaps: 0 };
    while (seen.devices < DEVICES || seen.configMaps < NODES) {
      if (performance.now() - t0 > 600_000)
        throw new Error(`only ${seen.devices} devices in profiles after 10 min`);
      await new Promise(r => setTimeout(r, 100));
      seen = await profiledDevices(client);
    }
    const reflected = performance.now() - t0;
    const perDevice = seen.bytes / seen.devices;
    console.log(
      JSON.stringify(
        {
          devices: DEVICES,
          nodes: NODES,
          createdMs: Math.round(created),
          reflectedMs: Math.round(reflected),
          devicesPerSecond: Math.round((DEVICES / reflected) * 1000),
          createP50Ms: Math.round(createMs.sort((a, b) => a - b)[createMs.length >> 1]),
          profileBytesTotal: seen.bytes,
          bytesPerDevice: Math.round(perDevice),
          devicesPerProfileLimit: Math.floor(MAX_PROFILE_BYTES / perDevice),
        },
        null,
        2,
      ),
    );
  } finally {
    await client.request("DELETE", `/api/v1/namespaces/${NS}`).catch(() => undefined);
    await pool(
      Array.from({ length: NODES }, (_, i) => `bench-node-${i}`),
      20,
      n => client.delete(paths.node(n)),
    );
    await cloud.close();
  }
}

await main();
