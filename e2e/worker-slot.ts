/**
 * Fixture for e2e files that start a cloud worker node through the CLI: only one worker runs
 * per machine (local/worker/one-per-host.ts refuses a second one) and vitest runs e2e files side
 * by side, so such a file waits for the worker slot, and starts again if another file took the
 * slot between the wait and its own `cluster up`.
 */
import { eventually, type RunResult } from "@kubeedge-ts/testkit";
import { workerSlotHolder } from "../local/worker/index.js";
import { kubeedgeTs } from "./join/fixtures.js";

const SLOT_TAKEN = "another cluster's worker node runs on this machine";

/** `kubeedge-ts cluster up --with-worker --dir <dir>` once the machine's worker slot is free. */
export async function clusterUpWithWorker(dir: string, timeoutMs = 600_000): Promise<RunResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = Math.max(1_000, deadline - Date.now());
    await eventually("the worker slot", () => workerSlotHolder() === undefined, left, 1_000);
    const up = await kubeedgeTs(["cluster", "up", "--with-worker", "--dir", dir]);
    if (!`${up.stdout}${up.stderr}`.includes(SLOT_TAKEN) || Date.now() > deadline) return up;
    // The refused start stopped its control plane; clear its folder before the next try.
    await kubeedgeTs(["cluster", "down", "--dir", dir]);
  }
}
