/**
 * Starts one real control plane for the whole e2e run and hands its state folder to the tests.
 * KUBEEDGE_TS_E2E_DIR=<dir of a running `cluster up`> reuses an existing one (fast local loops).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import {
  ensureBinaries,
  readState,
  startControlPlane,
  stopControlPlane,
} from "../local/control-plane/index.js";

const log = (line: string): void => void process.stderr.write(`[e2e control plane] ${line}\n`);

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The tests' data dirs, and the agents' key dirs beside them, all go with the run.
  const scratch = mkdtempSync(join(tmpdir(), "kubeedge-ts-e2e-scratch-"));
  project.provide("scratchDir", scratch);
  const removeScratch = (): void => rmSync(scratch, { recursive: true, force: true });
  const reuse = process.env.KUBEEDGE_TS_E2E_DIR;
  if (reuse) {
    if (!readState(reuse))
      throw new Error(`KUBEEDGE_TS_E2E_DIR=${reuse} holds no running control plane`);
    project.provide("controlPlaneDir", reuse);
    return async () => removeScratch();
  }
  const binDir = await ensureBinaries(log);
  const dir = mkdtempSync(join(tmpdir(), "kubeedge-ts-e2e-"));
  const state = await startControlPlane({ dir, binDir, ownerPid: process.pid, progress: log });
  log(`ready in ${(state.readyMs / 1000).toFixed(1)}s at ${state.server}`);
  project.provide("controlPlaneDir", dir);
  return async () => {
    await stopControlPlane(dir);
    removeScratch();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    controlPlaneDir: string;
    /** Where the run's tests make their temporary dirs; removed when the run ends. */
    scratchDir: string;
  }
}
