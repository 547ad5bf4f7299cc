/**
 * A detached shell that waits for an owner process (a test run) to exit, then runs a TypeScript
 * entry point in a fresh Node (through tsx, as the CLI runs) with one folder argument, unless
 * `<folder>/<guard>` is gone by then (the owner already cleaned up). Its output is appended to
 * `<folder>/<log>`. The shell's command line carries `label` and the folder, so it can be found.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

export interface OwnerWatchdog {
  ownerPid: number;
  label: string;
  /** The folder passed to the entry point as its only argument. */
  dir: string;
  /** A file inside `dir`: the entry point runs only while it exists. */
  guard: string;
  /** The file inside `dir` the entry point's output is appended to. */
  log: string;
  entry: URL;
}

export function startOwnerWatchdog(w: OwnerWatchdog): number | undefined {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm")).href;
  const script = `
    while kill -0 ${w.ownerPid} 2>/dev/null; do sleep 1; done
    [ -f "$1/${w.guard}" ] && exec "$2" --import "$3" "$4" "$1" >>"$1/${w.log}" 2>&1`;
  const child = spawn(
    "bash",
    ["-c", script, w.label, w.dir, process.execPath, tsx, fileURLToPath(w.entry)],
    { detached: true, stdio: "ignore" },
  );
  child.unref();
  return child.pid;
}
