/**
 * The demo node joins as a user's device does: a bootstrap token (what `kubeedge-ts token create`
 * makes) and `kubeedge-edge join` through its bin — TLS bootstrap, a CSR the controller-manager
 * approves — after which the cloud module makes it an edge node, since the token's group is the
 * edge one. A kept cluster (--keep) whose Node this data dir already joined reuses the identity.
 */
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createBootstrapToken } from "../../local/bootstrap-token/create.js";
import { assertNodeName } from "../../local/control-plane/index.js";
import { kubeRequest } from "../../local/kube/kube-request.js";
import { loadKube } from "../../local/kube/kube.js";
import { logTail, startBinChild } from "./children.js";

/** Long enough for a slow first run; the token is only used right away. */
const TOKEN_TTL_MS = 3600_000;

export interface JoinedNode {
  kubeconfig: string;
  /** The `kubeedge-edge join` line the demo ran, without the token's secret. */
  command: string;
}

async function runJoin(args: string[], logFile: string): Promise<void> {
  const child = startBinChild("kubeedge-edge join", "kubeedge-edge", args, logFile);
  const { code } = await child.exited;
  if (code !== 0) throw new Error(`kubeedge-edge join failed:\n${logTail(logFile)}`);
}

export async function joinDemoNode(
  admin: string,
  node: string,
  joinDir: string,
  logFile: string,
): Promise<JoinedNode> {
  assertNodeName(node);
  const kubeconfig = join(joinDir, "node.kubeconfig");
  const registered = (await kubeRequest(admin, "GET", `/api/v1/nodes/${node}`)).status === 200;
  if (registered && existsSync(kubeconfig)) return { kubeconfig, command: "(joined before)" };
  rmSync(joinDir, { recursive: true, force: true }); // an identity for a cluster that is gone
  const kube = loadKube(admin);
  let joinLine: string;
  try {
    joinLine = (await createBootstrapToken(kube, TOKEN_TTL_MS)).joinLine;
  } finally {
    kube.close();
  }
  const args = [...joinLine.split(" ").slice(1), "--node-name", node, "--data-dir", joinDir];
  await runJoin(args, logFile);
  const command = `kubeedge-edge ${args.join(" ")}`.replace(/(--token \w+)\.\w+/, "$1.<secret>");
  return { kubeconfig, command };
}
