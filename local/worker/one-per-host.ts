/**
 * One worker per machine: kube-proxy's iptables chains (KUBE-SERVICES and the rest) are
 * host-wide, and each kube-proxy rewrites them with its own cluster's Services, so a second
 * worker's kube-proxy would remove the first one's rules (and `kube-proxy --cleanup` at its
 * teardown would remove them all). The worker slot is a file created exclusively under /run, so
 * two clusters starting at the same moment never both get it; a second worker is refused,
 * naming the holder. A claim is taken over when its claimant process is gone and no worker
 * process of its cluster runs any more.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { eventually, isAlive } from "@kubeedge-ts/testkit";
import { pidsMentioning } from "../containerd/host-cleanup.js";

const SLOT = process.env.KUBEEDGE_TS_WORKER_SLOT ?? "/run/kubeedge-ts/worker-slot.json";
const MARKERS = ["/worker/kube-proxy-config.yaml", "/worker/kubelet-config.yaml"];

interface Claim {
  dir: string;
  pid: number;
}

/** Worker processes (kubelet, kube-proxy) running now of clusters other than `clusterDir`. */
export function otherWorkers(clusterDir: string): string[] {
  const found: string[] = [];
  for (const marker of MARKERS) {
    for (const pid of pidsMentioning(marker)) {
      let cmdline: string;
      try {
        cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
      } catch {
        continue;
      }
      if (!cmdline.includes(`${clusterDir}/worker/`)) found.push(`${pid}: ${cmdline}`);
    }
  }
  return found;
}

function readClaim(): Claim | undefined {
  try {
    return JSON.parse(readFileSync(SLOT, "utf8")) as Claim;
  } catch {
    return undefined;
  }
}

const workerRunsIn = (dir: string): boolean =>
  MARKERS.some(m => pidsMentioning(`${dir}/worker/${m.split("/").pop() ?? ""}`).length > 0);

/** The cluster folder holding the worker slot, if a live cluster holds it. */
export function workerSlotHolder(): string | undefined {
  const claim = readClaim();
  if (!claim) return undefined;
  return isAlive(claim.pid) || workerRunsIn(claim.dir) ? claim.dir : undefined;
}

/** Takes the worker slot for `clusterDir`, or throws naming the cluster that has it. */
export function claimWorkerSlot(clusterDir: string): void {
  mkdirSync(dirname(SLOT), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    const holder = workerSlotHolder();
    if (holder === clusterDir) return;
    if (holder !== undefined) {
      throw new Error(
        `another cluster's worker node runs on this machine (${holder}); kube-proxy's ` +
          "iptables chains are host-wide, so only one worker can run at a time. Stop it first: " +
          `kubeedge-ts cluster down --dir ${holder}`,
      );
    }
    rmSync(SLOT, { force: true });
    try {
      const claim: Claim = { dir: clusterDir, pid: process.pid };
      writeFileSync(SLOT, JSON.stringify(claim), { flag: "wx" });
      return;
    } catch {
      // another cluster claimed it between our read and our write: look again
    }
  }
  throw new Error(`could not claim the worker slot ${SLOT}`);
}

/**
 * Waits until the worker slot can be taken for `clusterDir` and takes it: for a test that runs
 * `cluster up --with-worker --dir <clusterDir>` (which then finds the slot its own) while
 * other tests on the machine may run a worker. `cluster down` (or the release) frees it.
 */
export async function reserveWorkerSlot(clusterDir: string, timeoutMs: number): Promise<void> {
  await eventually(
    "the machine's worker slot (another cluster runs a worker)",
    () => {
      try {
        claimWorkerSlot(clusterDir);
        return true;
      } catch {
        return false;
      }
    },
    timeoutMs,
    1_000,
    () => `held by ${workerSlotHolder() ?? "nobody now"}`,
  );
}

export function releaseWorkerSlot(clusterDir: string): void {
  if (readClaim()?.dir === clusterDir) rmSync(SLOT, { force: true });
}
