import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";

export interface Child {
  proc: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves when the process has exited (SIGTERM, then SIGKILL after 3 s). */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// A test that fails mid-way still must not leave peers behind.
process.once("exit", () => running.forEach(p => p.kill("SIGKILL")));

export function startChild(cmd: string, args: string[], opts: SpawnOptions = {}): Child {
  const proc = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...opts });
  running.add(proc);
  let out = "";
  proc.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>(resolve => proc.once("exit", () => resolve()));
  proc.once("exit", () => running.delete(proc));
  return {
    proc,
    output: () => out,
    async stop(): Promise<void> {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
