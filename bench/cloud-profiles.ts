/**
 * How fast device profiles follow the devices: 1,000 Devices over 100 edge nodes, created with
 * 20 requests in flight; the clock stops when every node's profile ConfigMap lists all of its
 * devices. Also prints bytes per device in a profile and what fits under the 1 MiB limit.
 *
 *   node --import tsx bench/cloud-profiles.ts [--kubeconfig K] [--devices 1000] [--nodes 100]
 */
import { PROFILE_CONFIGMAP_KEY } from "@kubeedge-ts/contract";
import { MAX_PROFILE_BYTES } from "../capabilities/profiles/document.js";
import { paths, type KubeClient } from "../capabilities/profiles/kube-client.js";
import {
  devicePaths,
  MANAGED_SELECTOR,
  type ConfigMapLike,
} from "../capabilities/profiles/objects.js";
import { benchCloud, percentile, pool } from "./cloud-cluster.js";
import { benchDevice, benchModel } from "./cloud-objects.js";

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};

const NS = "bench-profiles";
const COLD_NS = "bench-profiles-cold";
const DEVICES = arg("devices", 1000);
const NODES = arg("nodes", 100);

async function profiledDevices(
  client: KubeClient,
  ns: string,
): Promise<{ devices: number; bytes: number; configMaps: number }> {
  const cms = await client.list<ConfigMapLike>(paths.configMaps(ns), MANAGED_SELECTOR);
  let devices = 0;
  let bytes = 0;
  for (const cm of cms) {
    const doc = cm.data?.[PROFILE_CONFIGMAP_KEY] ?? "{}";
    bytes += Buffer.byteLength(doc);
    devices += (JSON.parse(doc).deviceInstances ?? []).length;
  }
  return { devices, bytes, configMaps: cms.length };
}

const nodeNames = Array.from({ length: NODES }, (_, i) => `bench-node-${i}`);

async function setupNamespace(client: KubeClient, ns: string): Promise<object[]> {
  await client.apply(`/api/v1/namespaces/${ns}`, {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: ns },
  });
  await client.create(devicePaths.models(ns), benchModel(ns));
  return Array.from({ length: DEVICES }, (_, i) =>
    benchDevice(ns, `dev-${i}`, nodeNames[i % NODES]),
  );
}

async function waitReflected(
  client: KubeClient,
  ns: string,
  since: number,
): Promise<{ ms: number; bytes: number; devices: number }> {
  let seen = { devices: 0, bytes: 0, configMaps: 0 };
  while (seen.devices < DEVICES || seen.configMaps < NODES) {
    if (performance.now() - since > 600_000)
      throw new Error(`only ${seen.devices} devices in profiles after 10 min`);
    await new Promise(r => setTimeout(r, 100));
    seen = await profiledDevices(client, ns);
  }
  return { ms: performance.now() - since, bytes: seen.bytes, devices: seen.devices };
}

/** Live: devices created one by one (through admission) while the module runs. */
async function live(client: KubeClient): Promise<object> {
  const devices = await setupNamespace(client, NS);
  const t0 = performance.now();
  const createMs = await pool(
    devices,
    20,
    async d => void (await client.create(devicePaths.devices(NS), d)),
  );
  const created = performance.now() - t0;
  const r = await waitReflected(client, NS, t0);
  const perDevice = r.bytes / r.devices;
  return {
    createdMs: Math.round(created),
    createP50Ms: Math.round(percentile(createMs, 50)),
    reflectedMs: Math.round(r.ms),
    devicesPerSecond: Math.round((DEVICES / r.ms) * 1000),
    lagAfterLastCreateMs: Math.round(r.ms - created),
    bytesPerDevice: Math.round(perDevice),
    devicesPerProfileLimit: Math.floor(MAX_PROFILE_BYTES / perDevice),
  };
}

/** Cold: all devices exist before the module starts; measures the reconciler alone. */
async function cold(client: KubeClient, start: () => Promise<unknown>): Promise<object> {
  const devices = await setupNamespace(client, COLD_NS);
  await pool(devices, 20, async d => void (await client.create(devicePaths.devices(COLD_NS), d)));
  await start();
  const t0 = performance.now();
  const r = await waitReflected(client, COLD_NS, t0);
  return {
    reflectedAfterModuleReadyMs: Math.round(r.ms),
    devicesPerSecond: Math.round((DEVICES / r.ms) * 1000),
  };
}

async function main(): Promise<void> {
  const cloud = await benchCloud({ startModule: false });
  const client = cloud.kube.client;
  try {
    await pool(nodeNames, 20, name =>
      client.apply(paths.node(name), { apiVersion: "v1", kind: "Node", metadata: { name } }),
    );
    const coldResult = await cold(client, () => cloud.startModule());
    const liveResult = await live(client);
    console.log(
      JSON.stringify(
        { devices: DEVICES, nodes: NODES, cold: coldResult, live: liveResult },
        null,
        2,
      ),
    );
  } finally {
    for (const ns of [NS, COLD_NS])
      await client.request("DELETE", `/api/v1/namespaces/${ns}`).catch(() => undefined);
    await pool(nodeNames, 20, n => client.delete(paths.node(n)));
    await cloud.close();
  }
}

await main();
