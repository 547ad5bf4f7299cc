/**
 * `kubeedge-edge reset`: undoes `join` on the device — stops the service if join installed one,
 * deletes this node's Node and Lease in the cluster while its identity still works, and removes
 * the files join wrote and the agent's state under the data dir.
 */
import { rmSync } from "node:fs";
import { NODE_LEASE_NAMESPACE } from "@kubeedge-ts/contract";
import { readCredentials } from "../kube/kubeconfig.js";
import { httpsJson } from "./http.js";
import { joinLayout, readJoinRecord } from "./layout.js";
import { removeService } from "./service.js";

export interface ResetResult {
  removed: string[];
  /** Cluster-side deletions that could not be made (the cluster unreachable, say). */
  warnings: string[];
}

async function deleteOwnObjects(kubeconfig: string, node: string, warnings: string[]) {
  let creds;
  try {
    creds = readCredentials(kubeconfig);
  } catch (err) {
    warnings.push(`cannot read ${kubeconfig}: ${(err as Error).message}`);
    return;
  }
  const tls = { ca: creds.ca?.toString(), cert: creds.cert.toString(), key: creds.key.toString() };
  const paths = [
    `/apis/coordination.k8s.io/v1/namespaces/${NODE_LEASE_NAMESPACE}/leases/${node}`,
    `/api/v1/nodes/${node}`,
  ];
  for (const path of paths) {
    try {
      const res = await httpsJson(`${creds.server}${path}`, { ...tls, method: "DELETE" });
      if (res.status !== 200 && res.status !== 202 && res.status !== 404) {
        warnings.push(`DELETE ${path}: HTTP ${res.status}`);
      }
    } catch (err) {
      warnings.push(`DELETE ${path}: ${(err as Error).message}`);
    }
  }
}

export async function resetNode(dataDir: string, opts: { keepClusterObjects?: boolean } = {}) {
  const record = readJoinRecord(dataDir);
  const result: ResetResult = { removed: [], warnings: [] };
  if (!record) return result;
  if (record.serviceUnit) {
    removeService(record.serviceUnit);
    result.removed.push(record.serviceUnit);
  }
  const l = joinLayout(dataDir);
  if (!opts.keepClusterObjects)
    await deleteOwnObjects(l.kubeconfig, record.nodeName, result.warnings);
  if (record.createdDataDir) {
    rmSync(dataDir, { recursive: true, force: true });
    result.removed.push(dataDir);
    return result;
  }
  for (const path of [l.agentState, ...record.files]) {
    rmSync(path, { recursive: true, force: true });
    result.removed.push(path);
  }
  return result;
}
