import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Child {
  proc: ChildProcess;
  /** Everything written to stdout and stderr so far (empty when stdio goes elsewhere). */
  output(): string;
  /** Resolves when the process has ended, by stop() or on its own. */
  exited: Promise<ChildExit>;
  /** Resolves when the process has exited (SIGTERM, then SIGKILL after 3 s). */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// A test or demo that fails mid-way still must not leave peers behind.
process.once("exit", () => running.forEach(p => p.kill("SIGKILL")));

export function startChild(cmd: string, args: string[], opts: SpawnOptions = {}): Child {
  const proc = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...opts });
  running.add(proc);
  let out = "";
  proc.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<ChildExit>(resolve =>
    proc.once("exit", (code, signal) => resolve({ code, signal })),
  );
  // A command that cannot start (ENOENT) gets no exit event: end it the same way.
  proc.once("error", () => {
    if (proc.pid === undefined) proc.emit("exit", null, null);
  });
  proc.once("exit", () => running.delete(proc));
  return {
    proc,
    output: () => out,
    exited,
    async stop(): Promise<void> {
      if (proc.exitCode !== null || proc.signalCode !== null || !running.has(proc)) return;
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
