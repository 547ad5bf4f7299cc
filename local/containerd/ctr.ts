/** The few `ctr` calls a run needs against its private containerd (no CRI client here). */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const execFileP = promisify(execFile);

export async function ctr(address: string, args: string[], timeoutMs = 60_000): Promise<string> {
  const { stdout } = await execFileP("ctr", ["--address", address, ...args], {
    timeout: timeoutMs,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

/** True once the CRI plugin loaded ("ok" in `ctr plugins ls`). */
export async function criPluginReady(address: string): Promise<boolean> {
  const out = await ctr(address, ["plugins", "ls"], 5_000);
  return out.split("\n").some(l => /^io\.containerd\.grpc\.v1\s+cri\s+.*\bok\s*$/.test(l));
}

/** Kills and deletes every task in every namespace, so shims exit through containerd. */
export async function deleteAllTasks(address: string): Promise<void> {
  const namespaces = (await ctr(address, ["namespaces", "ls", "-q"], 5_000)).split("\n");
  for (const ns of namespaces.filter(Boolean)) {
    const tasks = (await ctr(address, ["-n", ns, "tasks", "ls", "-q"], 5_000)).split("\n");
    for (const id of tasks.filter(Boolean)) {
      await ctr(address, ["-n", ns, "tasks", "delete", "--force", id], 20_000).catch(() => "");
    }
  }
}
