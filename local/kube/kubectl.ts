/** Runs the kubectl built with the control plane (no vitest here: the CLI imports it too). */
import { spawn } from "node:child_process";
import { join } from "node:path";

export interface KubectlResult {
  stdout: string;
  stderr: string;
  code: number;
}

export function runKubectl(
  binDir: string,
  kubeconfig: string,
  args: string[],
  input?: string,
): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(binDir, "kubectl"), ["--kubeconfig", kubeconfig, ...args], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", c => (stdout += c));
    child.stderr.on("data", c => (stderr += c));
    child.on("error", reject);
    child.on("close", code => resolve({ stdout, stderr, code: code ?? -1 }));
    child.stdin.end(input ?? "");
  });
}
