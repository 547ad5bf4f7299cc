/**
 * A lock shared by the processes of this machine, held by a `flock(1)` child: it takes the
 * lock, says so, and keeps it until its stdin closes — when we release it, or when this process
 * dies (the pipe closes with it), so a killed holder never leaves a stale lock behind.
 */
import { spawn } from "node:child_process";

export async function withFileLock<T>(
  lockFile: string,
  onWait: () => void,
  fn: () => Promise<T>,
): Promise<T> {
  const holder = spawn("flock", [lockFile, "-c", "echo locked; read _"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  // flock answers at once when the lock is free: only a held lock is worth a word.
  const waiting = setTimeout(onWait, 1_000);
  try {
    await new Promise<void>((resolve, reject) => {
      holder.stdout.once("data", () => resolve());
      holder.once("error", reject);
      holder.once("exit", code => reject(new Error(`flock ${lockFile} exited (${code})`)));
    });
  } finally {
    clearTimeout(waiting);
  }
  try {
    return await fn();
  } finally {
    holder.stdin.end();
  }
}
