/** Runs the kubectl built with the control plane (no vitest here: the CLI imports it too). */
import { join } from "node:path";
import { runToEnd, type RunResult } from "@kubeedge-ts/testkit";

export type KubectlResult = RunResult;

export function runKubectl(
  binDir: string,
  kubeconfig: string,
  args: string[],
  input?: string,
): Promise<KubectlResult> {
  return runToEnd(join(binDir, "kubectl"), ["--kubeconfig", kubeconfig, ...args], { input });
}
