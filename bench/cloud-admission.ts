/**
 * Admission latency as a user sees it: server-side applies of Devices with 50 in flight, first
 * without the module (the apiserver alone), then with the module's webhooks in the path. The
 * difference is what our admission costs per write.
 *
 *   node --import tsx bench/cloud-admission.ts [--kubeconfig K] [--applies 500]
 */
import { devicePaths } from "../capabilities/profiles/objects.js";
import { benchCloud, percentile, pool } from "./cloud-cluster.js";
import { BENCH_MODEL, benchDevice, benchModel } from "./cloud-objects.js";
import type { KubeClient } from "../capabilities/profiles/kube-client.js";

const i = process.argv.indexOf("--applies");
const APPLIES = i > 0 ? Number(process.argv[i + 1]) : 500;
const CONCURRENCY = 50;

async function round(
  client: KubeClient,
  ns: string,
): Promise<{ p50: number; p99: number; max: number; perSecond: number }> {
  await client.apply(`/api/v1/namespaces/${ns}`, {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: ns },
  });
  await client.apply(`${devicePaths.models(ns)}/${BENCH_MODEL}`, benchModel(ns));
  const names = Array.from({ length: APPLIES }, (_, k) => `dev-${k}`);
  const t0 = performance.now();
  const ms = await pool(names, CONCURRENCY, async name => {
    await client.apply(
      devicePaths.device(ns, name),
      benchDevice(ns, name, `bench-node-${name.length % 10}`),
    );
  });
  const total = performance.now() - t0;
  const r = (v: number): number => Math.round(v * 10) / 10;
  return {
    p50: r(percentile(ms, 50)),
    p99: r(percentile(ms, 99)),
    max: r(Math.max(...ms)),
    perSecond: Math.round((APPLIES / total) * 1000),
  };
}

async function main(): Promise<void> {
  const cloud = await benchCloud({ startModule: false });
  const client = cloud.kube.client;
  const namespaces = ["bench-admission-base", "bench-admission"];
  try {
    const without = await round(client, namespaces[0]);
    const module = await cloud.startModule();
    const bindings = module.capabilities
      .flatMap(c => c.bindings)
      .filter(b => b.isMutate || b.isValidate).length;
    const withModule = await round(client, namespaces[1]);
    console.log(
      JSON.stringify(
        {
          applies: APPLIES,
          concurrency: CONCURRENCY,
          admissionBindings: bindings,
          withoutModuleMs: without,
          withModuleMs: withModule,
        },
        null,
        2,
      ),
    );
  } finally {
    for (const ns of namespaces)
      await client.request("DELETE", `/api/v1/namespaces/${ns}`).catch(() => undefined);
    await cloud.close();
  }
}

await main();
