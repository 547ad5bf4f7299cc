/**
 * The admin's allow-list of edge nodes (contract names.ts): the cloud module grants the edge
 * role only to nodes listed here. Written with an admin kubeconfig by the tools that vouch for
 * a node: `kubeedge-ts cluster node-identity`, `kubeedge-ts demo`, the e2e harness.
 */
import {
  EDGE_NODE_GRANTS_CONFIGMAP,
  EDGE_NODE_GRANTS_NAMESPACE,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
} from "@kubeedge-ts/contract";
import { kubeRequest } from "../kube/kube-request.js";

const COLLECTION = `/api/v1/namespaces/${EDGE_NODE_GRANTS_NAMESPACE}/configmaps`;
const PATH = `${COLLECTION}/${EDGE_NODE_GRANTS_CONFIGMAP}`;

function failed(what: string, r: { status: number; body: unknown }): Error {
  return new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
}

/**
 * Adds `node` to the allow-list. A merge patch of one key, so concurrent grants for other nodes
 * never overwrite each other; creates the ConfigMap the first time.
 */
export async function allowEdgeNode(
  adminKubeconfig: string,
  node: string,
  note: string,
): Promise<void> {
  const patch = { data: { [node]: note } };
  for (let attempt = 0; attempt < 3; attempt++) {
    const r = await kubeRequest(
      adminKubeconfig,
      "PATCH",
      PATH,
      patch,
      "application/merge-patch+json",
    );
    if (r.status === 200) return;
    if (r.status !== 404) throw failed(`adding ${node} to the edge node allow-list`, r);
    const created = await kubeRequest(adminKubeconfig, "POST", COLLECTION, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: EDGE_NODE_GRANTS_CONFIGMAP,
        namespace: EDGE_NODE_GRANTS_NAMESPACE,
        labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
      },
      ...patch,
    });
    if (created.status === 201) return;
    // 409: another grant created it first; patch it on the next round.
    if (created.status !== 409) throw failed("creating the edge node allow-list", created);
  }
  throw new Error(`adding ${node} to the edge node allow-list kept conflicting`);
}
