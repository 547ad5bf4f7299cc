/**
 * Each private containerd gets a pod network no other run uses: a /24 out of 10.213.0.0/16 and a
 * bridge named after it. Claims are files created exclusively under /run, so two runs starting
 * at the same moment never pick the same subnet. A claim is taken over only when the process
 * that made it is gone and its run was torn down (the run's run.json removed).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isAlive } from "@kubeedge-ts/testkit";
import type { PodNetwork } from "./config.js";

const CLAIMS = process.env.KUBEEDGE_TS_NETWORK_CLAIMS ?? "/run/kubeedge-ts/pod-networks";
const FIRST = 1;
const LAST = 254;

export function podNetwork(index: number): PodNetwork {
  return {
    name: `kubeedge-ts-${index}`,
    bridge: `kts${index}`,
    subnet: `10.213.${index}.0/24`,
  };
}

interface Claim {
  dir: string;
  pid: number;
}

/** The candidate indexes in the order to try them: from `start`, wrapping around. */
export function candidateIndexes(start: number): number[] {
  const span = LAST - FIRST + 1;
  const from = FIRST + ((((start - FIRST) % span) + span) % span);
  return Array.from({ length: span }, (_, i) => FIRST + ((from - FIRST + i) % span));
}

/** True when the host already routes or has a device for this network (outside our claims). */
function inUseOnHost(network: PodNetwork): boolean {
  const routes = execFileSync("ip", ["-4", "route", "show"], { encoding: "utf8" });
  const third = network.subnet.split(".")[2];
  const routed = new RegExp(`(^|\\s)10\\.213\\.${third}\\.`, "m").test(routes);
  return routed || existsSync(`/sys/class/net/${network.bridge}`);
}

function readClaim(file: string): Claim | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Claim;
  } catch {
    return undefined;
  }
}

/** Claims a free pod network for the run in `dir` on behalf of this process. */
export function claimPodNetwork(dir: string): PodNetwork {
  const pid = process.pid;
  mkdirSync(CLAIMS, { recursive: true });
  for (const index of candidateIndexes(Math.floor(Math.random() * LAST))) {
    const network = podNetwork(index);
    const file = claimFile(network);
    const held = readClaim(file);
    if (held && (isAlive(held.pid) || existsSync(join(held.dir, "run.json")))) continue;
    if (held) rmSync(file, { force: true });
    if (inUseOnHost(network)) continue;
    try {
      writeFileSync(file, JSON.stringify({ dir, pid } satisfies Claim), { flag: "wx" });
      return network;
    } catch {
      // another run claimed it between our read and our write
    }
  }
  throw new Error(`no free pod network left in 10.213.0.0/16 (claims in ${CLAIMS})`);
}

/** The claim file of a network (its index under the claims folder). */
export const claimFile = (network: PodNetwork): string =>
  join(CLAIMS, network.subnet.split(".")[2] ?? "");

/** The run folder holding the network's claim, if any. */
export const claimedBy = (network: PodNetwork): string | undefined =>
  readClaim(claimFile(network))?.dir;

export function releasePodNetwork(network: PodNetwork, dir: string): void {
  const file = claimFile(network);
  if (readClaim(file)?.dir === dir) rmSync(file, { force: true });
}
