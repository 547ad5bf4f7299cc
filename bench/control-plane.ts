/**
 * Local control plane figures: start-to-ready time (warm cache) and the RSS of the four
 * processes after they settle. Run: `npx tsx bench/control-plane.ts [runs]`.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ensureBinaries,
  startControlPlane,
  stopControlPlane,
} from "../local/control-plane/index.js";
import { runningComponents } from "../local/control-plane/processes.js";
import { rssMiB } from "./proc.js";

const runs = Number(process.argv[2] ?? 3);
const binDir = await ensureBinaries(l => console.log(l));
const readyTimes: number[] = [];
for (let i = 0; i < runs; i++) {
  const dir = mkdtempSync(join(tmpdir(), "kubeedge-ts-bench-"));
  const state = await startControlPlane({ dir, binDir, ownerPid: process.pid });
  readyTimes.push(state.readyMs);
  if (i === runs - 1) {
    await new Promise(r => setTimeout(r, 15_000));
    let total = 0;
    for (const [name, pid] of Object.entries(runningComponents(dir))) {
      const rss = rssMiB(pid);
      total += rss;
      console.log(`rss ${name.padEnd(24)} ${rss.toFixed(0)} MiB`);
    }
    console.log(`rss total                    ${total.toFixed(0)} MiB`);
  }
  await stopControlPlane(dir);
}
readyTimes.sort((a, b) => a - b);
console.log(
  `start-to-ready over ${runs} runs: min ${(readyTimes[0] / 1000).toFixed(1)}s, median ${(readyTimes[Math.floor(runs / 2)] / 1000).toFixed(1)}s, max ${(readyTimes[runs - 1] / 1000).toFixed(1)}s`,
);
