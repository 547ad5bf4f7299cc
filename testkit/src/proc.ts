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
