/**
 * One run of the module's Node process: forked with its env, logging to the module's log file
 * (appended, so restarts add to it) or to this process' stdio, and stopped with SIGTERM, then
 * SIGKILL after a grace period.
 */
import { type ChildProcess, fork } from "node:child_process";
import { appendFileSync, closeSync, openSync } from "node:fs";

export interface Spawned {
  child: ChildProcess;
  pid: number | undefined;
  exited: Promise<number | null>;
}

export function spawnModule(
  modulePath: string,
  env: NodeJS.ProcessEnv,
  logFile: string | undefined,
  nodeArgs: string[],
): Spawned {
  const fd = logFile ? openSync(logFile, "a") : undefined;
  const child = fork(modulePath, [], {
    env,
    // Never inherit the parent's node flags: vitest workers run with extra --conditions
    // (e.g. "import") that make require() of dual packages load their ESM build.
    execArgv: nodeArgs,
    stdio: fd === undefined ? ["ignore", "inherit", "inherit", "ipc"] : ["ignore", fd, fd, "ipc"],
  });
  if (fd !== undefined) closeSync(fd);
  const exited = new Promise<number | null>(res => child.once("exit", code => res(code)));
  return { child, pid: child.pid, exited };
}

export async function stopProcess(s: Spawned, graceMs = 3000): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  s.child.kill("SIGTERM");
  const timer = setTimeout(() => s.child.kill("SIGKILL"), graceMs);
  await s.exited;
  clearTimeout(timer);
}

/** Says in the module's log (or on stderr) that its process ended and when it comes back. */
export function noteRestart(
  logFile: string | undefined,
  r: { code: number | null; restarts: number; delayMs: number },
): void {
  noteInModuleLog(logFile, { ...r, msg: "module process exited; restarting" });
}

/** A warning line of the runner's own in the module's log (or stderr when it has none). */
export function noteInModuleLog(logFile: string | undefined, fields: Record<string, unknown>) {
  const line = `${JSON.stringify({ level: 40, time: Date.now(), ...fields })}\n`;
  if (logFile) appendFileSync(logFile, line);
  else process.stderr.write(line);
}
