/**
 * Cost of the admission rules: (1) in process, the pure schema + rules + mutation of one Device
 * (what every webhook call runs besides I/O); (2) against a real apiserver, server-side applies
 * of Devices with 50 in flight, with only the admission capabilities running (no profile
 * reconciler), next to the apiserver alone.
 *
 *   node --import tsx bench/cloud-admission-rules.ts [--kubeconfig K] [--applies 500]
 */
import { deviceProblems } from "../capabilities/devices/admission/device-rules.js";
import { mutateDevice } from "../capabilities/devices/admission/device-mutate.js";
import { schemaProblems } from "../capabilities/shared/schema.js";
import { devicePaths } from "../capabilities/profiles/objects.js";
import type { KubeClient } from "../capabilities/profiles/kube-client.js";
import type { Device, DeviceModel } from "../crds/index.js";
import { startModule } from "../local/cloud-runner/module-runner.js";
import { benchCloud, percentile, pool } from "./cloud-cluster.js";
import { BENCH_MODEL, benchDevice, benchModel } from "./cloud-objects.js";

const i = process.argv.indexOf("--applies");
const APPLIES = i > 0 ? Number(process.argv[i + 1]) : 500;
const CONCURRENCY = 50;
const r1 = (v: number): number => Math.round(v * 10) / 10;

function inProcess(): { perDeviceUs: number; devicesPerSecond: number } {
  const model = benchModel("b") as DeviceModel;
  const device = benchDevice("b", "d", "n") as Device;
  const runs = 20_000;
  const t0 = performance.now();
  for (let k = 0; k < runs; k++) {
    const mutated = mutateDevice(device, model, device);
    if (schemaProblems("Device", mutated).length + deviceProblems(mutated, model).length > 0) {
      throw new Error("bench device is invalid");
    }
  }
  const ms = performance.now() - t0;
  return { perDeviceUs: r1((ms * 1000) / runs), devicesPerSecond: Math.round(runs / (ms / 1000)) };
}

async function round(client: KubeClient, ns: string): Promise<Record<string, number>> {
  const nsObj = { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } };
  await client.apply(`/api/v1/namespaces/${ns}`, nsObj);
  await client.apply(`${devicePaths.models(ns)}/${BENCH_MODEL}`, benchModel(ns));
  const names = Array.from({ length: APPLIES }, (_, k) => `dev-${k}`);
  const t0 = performance.now();
  const ms = await pool(names, CONCURRENCY, name =>
    client.apply(devicePaths.device(ns, name), benchDevice(ns, name, "bench-node-1")),
  );
  const total = performance.now() - t0;
  return {
    p50: r1(percentile(ms, 50)),
    p99: r1(percentile(ms, 99)),
    perSecond: Math.round((APPLIES / total) * 1000),
  };
}

async function main(): Promise<void> {
  const pure = inProcess();
  const cloud = await benchCloud({ startModule: false });
  const client = cloud.kube.client;
  const namespaces = ["bench-rules-base", "bench-rules"];
  try {
    const without = await round(client, namespaces[0]);
    const module = await startModule({
      kubeconfig: cloud.kubeconfig,
      entry: "bench/admission-module.ts",
      env: { LOG_LEVEL: "warn" },
    });
    try {
      const withRules = await round(client, namespaces[1]);
      const report = { inProcess: pure, applies: APPLIES, concurrency: CONCURRENCY };
      console.log(
        JSON.stringify(
          { ...report, withoutModuleMs: without, withAdmissionMs: withRules },
          null,
          2,
        ),
      );
    } finally {
      await module.stop();
    }
  } finally {
    for (const ns of namespaces)
      await client.request("DELETE", `/api/v1/namespaces/${ns}`).catch(() => undefined);
    await cloud.close();
  }
}

await main();
