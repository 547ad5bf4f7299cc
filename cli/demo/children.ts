/** The demo's child processes (edge agent, mapper): logs to files, stopped on the way out. */
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";

export interface DemoChild {
  name: string;
  logFile: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

export function startChild(name: string, args: string[], logFile: string): DemoChild {
  const fd = openSync(logFile, "a");
  const proc = spawn(process.execPath, args, { stdio: ["ignore", fd, fd] });
  closeSync(fd);
  const exited = new Promise<void>(res => proc.once("exit", () => res()));
  return {
    name,
    logFile,
    proc,
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
