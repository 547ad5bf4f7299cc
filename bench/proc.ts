/** What the benchmarks read of a process from /proc (Linux): resident memory and CPU time. */
import { readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

export function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find(l => l.startsWith("VmRSS:"));
  return Number(line?.split(/\s+/)[1] ?? 0) / 1024;
}

/** User + system CPU time the process has used, in seconds. */
export function cpuSeconds(pid: number): number {
  // Fields after the parenthesised command name, which may itself contain spaces.
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(f[11]) + Number(f[12])) / USER_HZ; // utime + stime
}
