/** What tests ask of /proc: which live processes still mention a folder of theirs. */
import { readdirSync, readFileSync } from "node:fs";

export function processesMentioning(dir: string): number[] {
  return readdirSync("/proc")
    .filter(p => /^\d+$/.test(p) && Number(p) !== process.pid)
    .filter(p => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, "utf8").includes(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Whether a process with this pid exists (signal 0 checks without signalling). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
