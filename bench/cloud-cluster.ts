/**
 * Shared setup of the cloud benchmarks: a cluster (an existing one via --kubeconfig, or a fresh
 * local control plane that is stopped afterwards), the CRDs, and the module running locally.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ensureBinaries,
  layout,
  startControlPlane,
  stopControlPlane,
} from "../local/control-plane/index.js";
import { installCrds, readCrds } from "../local/cloud-runner/crds.js";
import { loadKube, type Kube } from "../local/kube/kube.js";
import { startModule, type RunningModule } from "../local/cloud-runner/module-runner.js";

export interface BenchCloud {
  kubeconfig: string;
  kube: Kube;
  module?: RunningModule;
  startModule(): Promise<RunningModule>;
  close(): Promise<void>;
}

/** The value after `flag` on the command line, if any. */
export function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i > 0 ? process.argv[i + 1] : undefined;
}

export async function benchCloud(opts: { startModule?: boolean } = {}): Promise<BenchCloud> {
  let kubeconfig = argValue("--kubeconfig");
  let dir: string | undefined;
  if (!kubeconfig) {
    dir = mkdtempSync(join(tmpdir(), "kubeedge-ts-bench-"));
    const binDir = await ensureBinaries(() => undefined);
    await startControlPlane({ dir, binDir, ownerPid: process.pid });
    kubeconfig = layout(dir).adminKubeconfig;
  }
  const kube = loadKube(kubeconfig);
  await installCrds(kube, readCrds());
  const cloud: BenchCloud = {
    kubeconfig,
    kube,
    startModule: async () =>
      (cloud.module = await startModule({ kubeconfig: kubeconfig!, entry: argValue("--entry") })),
    close: async () => {
      await cloud.module?.stop();
      kube.close();
      if (dir) await stopControlPlane(dir);
    },
  };
  if (opts.startModule !== false) await cloud.startModule();
  return cloud;
}

/** Runs `fn` over `items` with at most `concurrency` in flight; returns per-item durations (ms). */
export async function pool<T>(
  items: T[],
  concurrency: number,
  fn: (item: T) => Promise<void>,
): Promise<number[]> {
  const durations: number[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const idx = next++;
      const t0 = performance.now();
      await fn(items[idx]);
      durations[idx] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return durations;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
