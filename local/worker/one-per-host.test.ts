import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const scratch = mkdtempSync(join(tmpdir(), "kts-worker-slot-"));
const slot = join(scratch, "run", "worker-slot.json");
process.env.KUBEEDGE_TS_WORKER_SLOT = slot;
const { claimWorkerSlot, releaseWorkerSlot, reserveWorkerSlot, workerSlotHolder } = await import(
  "./one-per-host.js"
);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the worker slot (one worker per machine)", () => {
  it("goes to one cluster at a time and is refused to another, naming the holder", () => {
    expect(workerSlotHolder()).toBeUndefined();
    claimWorkerSlot("/tmp/cluster-a");
    claimWorkerSlot("/tmp/cluster-a");
    expect(workerSlotHolder()).toBe("/tmp/cluster-a");
    expect(() => claimWorkerSlot("/tmp/cluster-b")).toThrow(
      /another cluster's worker node runs on this machine \(\/tmp\/cluster-a\).*cluster down --dir \/tmp\/cluster-a/s,
    );
    releaseWorkerSlot("/tmp/cluster-b");
    expect(workerSlotHolder()).toBe("/tmp/cluster-a");
    releaseWorkerSlot("/tmp/cluster-a");
    claimWorkerSlot("/tmp/cluster-b");
    expect(workerSlotHolder()).toBe("/tmp/cluster-b");
    releaseWorkerSlot("/tmp/cluster-b");
  });

  it("is taken over from a claimant that is gone and left no worker process", () => {
    const gone = spawnSync("true").pid;
    writeFileSync(slot, JSON.stringify({ dir: "/tmp/cluster-crashed", pid: gone }));
    expect(workerSlotHolder()).toBeUndefined();
    claimWorkerSlot("/tmp/cluster-c");
    expect(JSON.parse(readFileSync(slot, "utf8"))).toEqual({
      dir: "/tmp/cluster-c",
      pid: process.pid,
    });
    releaseWorkerSlot("/tmp/cluster-c");
  });

  it("is reserved for a cluster once its holder lets it go", async () => {
    claimWorkerSlot("/tmp/cluster-d");
    const reserved = reserveWorkerSlot("/tmp/cluster-e", 10_000);
    setTimeout(() => releaseWorkerSlot("/tmp/cluster-d"), 300);
    await reserved;
    expect(workerSlotHolder()).toBe("/tmp/cluster-e");
    releaseWorkerSlot("/tmp/cluster-e");
    await expect(
      (async () => {
        claimWorkerSlot("/tmp/cluster-f");
        await reserveWorkerSlot("/tmp/cluster-g", 1_500);
      })(),
    ).rejects.toThrow(/held by \/tmp\/cluster-f/);
    releaseWorkerSlot("/tmp/cluster-f");
  });
});
