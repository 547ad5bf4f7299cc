/**
 * Starts one private containerd for the whole e2e run, with the base images (pause, busybox)
 * built (or taken from the cache) and imported, and hands its folder to the tests. It is
 * stopped at the end; if vitest dies first, its watchdog removes it with all it left behind.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startContainerd } from "../local/containerd/index.js";
import { baseImages, buildImage, importImages } from "../local/images/index.js";

const log = (line: string): void => void process.stderr.write(`[e2e containerd] ${line}\n`);

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const built = [];
  for (const spec of baseImages()) built.push(await buildImage(spec, log));
  const dir = mkdtempSync(join(tmpdir(), "kubeedge-ts-containerd-"));
  const containerd = await startContainerd({
    dir,
    ownerPid: process.pid,
    removeDir: true,
    progress: log,
  });
  try {
    await importImages(containerd.address, built);
  } catch (err) {
    await containerd.stop();
    throw err;
  }
  project.provide("containerdDir", dir);
  project.provide("containerdEndpoint", containerd.endpoint);
  return () => containerd.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    containerdDir: string;
    containerdEndpoint: string;
  }
}
