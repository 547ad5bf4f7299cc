/**
 * The samples' mapper pods run on the host network at fixed ports (the mapper's /healthz port,
 * and an agent with its default config has its broker at 1884): two e2e files running them would
 * meet on them, on this machine shared by every engineer's runs. A test that does takes this
 * machine-wide lock for its whole file, and finds the ports free before it starts.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eventually, isAlive, isPortFree } from "@kubeedge-ts/testkit";

const LOCK = join(tmpdir(), "kubeedge-ts-sample-host-ports.lock");

function tryLock(owner: string): boolean {
  try {
    mkdirSync(LOCK);
  } catch {
    let holder = NaN;
    try {
      holder = Number(readFileSync(join(LOCK, "pid"), "utf8").split(" ")[0]);
    } catch {
      return false; // being created or removed right now
    }
    if (Number.isNaN(holder) || isAlive(holder)) return false;
    rmSync(LOCK, { recursive: true, force: true }); // its holder died without unlocking
    return false;
  }
  writeFileSync(join(LOCK, "pid"), `${process.pid} ${owner}`);
  return true;
}

/** Waits for the lock and for `ports` to be free; returns the release function. */
export async function holdSampleHostPorts(
  owner: string,
  ports: number[],
  timeoutMs = 600_000,
): Promise<() => void> {
  await eventually(
    "the samples' host ports lock",
    () => tryLock(owner),
    timeoutMs,
    1000,
    () => {
      try {
        return `held by ${readFileSync(join(LOCK, "pid"), "utf8")}`;
      } catch {
        return "holder unknown";
      }
    },
  );
  const release = (): void => rmSync(LOCK, { recursive: true, force: true });
  try {
    await eventually(
      `ports ${ports.join(", ")} free on 127.0.0.1`,
      async () => (await Promise.all(ports.map(isPortFree))).every(Boolean),
      60_000,
      500,
    );
  } catch (err) {
    release();
    throw err;
  }
  return release;
}
