/**
 * run.json: what a teardown needs to find everything one private containerd left on the host,
 * written before containerd starts so even a crash during start can be cleaned up.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { ContainerdPaths, PodNetwork } from "./config.js";

export interface RunRecord {
  dir: string;
  network: PodNetwork;
  pid?: number;
  /** Remove the whole run folder on teardown, not only what containerd made in it. */
  removeDir?: boolean;
}

export function writeRunRecord(paths: ContainerdPaths, record: RunRecord): void {
  writeFileSync(paths.run, `${JSON.stringify(record, null, 2)}\n`);
}

export function readRunRecord(paths: ContainerdPaths): RunRecord | undefined {
  if (!existsSync(paths.run)) return undefined;
  return JSON.parse(readFileSync(paths.run, "utf8")) as RunRecord;
}
