/**
 * What e2e tests get: the running control plane's endpoints, admin and node identities, a
 * kubectl runner, and the means to take the apiserver away and bring it back.
 */
import { inject } from "vitest";
import { type KubectlResult, runKubectl } from "./kubectl.js";

export { type KubectlResult, runKubectl };
import {
  layout,
  mintNodeIdentity,
  readState,
  startApiServer,
  stopApiServer,
} from "./control-plane/index.js";

export interface TestCluster {
  dir: string;
  server: string;
  adminKubeconfig: string;
  binDir: string;
  nodeIdentity(name: string): Promise<string>;
  kubectl(args: string[], opts?: { kubeconfig?: string; input?: string }): Promise<KubectlResult>;
  stopApiServer(): Promise<void>;
  startApiServer(): Promise<void>;
}

export function testCluster(): TestCluster {
  const dir = inject("controlPlaneDir");
  const state = readState(dir);
  if (!state) throw new Error(`no control plane state in ${dir}`);
  const adminKubeconfig = layout(dir).adminKubeconfig;
  return {
    dir,
    server: state.server,
    adminKubeconfig,
    binDir: state.binDir,
    nodeIdentity: async name => mintNodeIdentity(dir, name),
    kubectl: (args, opts = {}) =>
      runKubectl(state.binDir, opts.kubeconfig ?? adminKubeconfig, args, opts.input),
    stopApiServer: () => stopApiServer(dir),
    startApiServer: () => startApiServer(dir),
  };
}

/** Polls `check` until it returns a value other than undefined/false, or fails at the deadline. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: lastError });
    }
    await new Promise(r => setTimeout(r, intervalMs));
  }
}
