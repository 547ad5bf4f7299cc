/**
 * A node that joined with an edge bootstrap token becomes an edge node without an admin step:
 * when its join CSR is issued (bootstrap-join.ts), the module writes the node into the edge node
 * allow-list (the same ConfigMap an admin writes for identities minted any other way), noting
 * the token user, and grants the role at once if the Node is already registered. The entry stays
 * after the controller-manager deletes the issued CSR (an hour later), so an agent started later
 * still gets the role. A name that belongs to a Node the edge agent did not register is left
 * alone: a bootstrap token vouches for new edge devices, not for taking over other nodes.
 * When such a node's Node is deleted (`kubeedge-edge reset` does it), the entry the module wrote
 * goes with it: the token vouched for that join, not for whatever registers the name later.
 * Entries an admin wrote are never touched.
 */
import { a, K8s, Log } from "pepr";
import {
  EDGE_AGENT_LABEL,
  EDGE_NODE_GRANTS_CONFIGMAP,
  EDGE_NODE_GRANTS_NAMESPACE,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
} from "@kubeedge-ts/contract";
import { edgeJoinedNode, type CsrLike } from "./bootstrap-join.js";
import { edgeNodeGrants, grantEdgeRole } from "./handlers.js";
import type { NodeLike } from "./edge-defaults.js";

const log = Log.child({ component: "edge-nodes" });
const status = (err: unknown): number | undefined => (err as { status?: number })?.status;

async function nodeNamed(name: string): Promise<NodeLike | undefined> {
  try {
    return (await K8s(a.Node).Get(name)) as NodeLike;
  } catch (err) {
    if (status(err) === 404) return undefined;
    throw err;
  }
}

/** Adds `node` to the allow-list unless listed; creates the ConfigMap the first time. */
async function allowListed(node: string, note: string): Promise<boolean> {
  const ref = { name: EDGE_NODE_GRANTS_CONFIGMAP, namespace: EDGE_NODE_GRANTS_NAMESPACE };
  for (let attempt = 0; attempt < 3; attempt++) {
    let cm: { data?: Record<string, string> } | undefined;
    try {
      cm = await K8s(a.ConfigMap)
        .InNamespace(EDGE_NODE_GRANTS_NAMESPACE)
        .Get(EDGE_NODE_GRANTS_CONFIGMAP);
    } catch (err) {
      if (status(err) !== 404) throw err;
    }
    if (cm?.data && Object.hasOwn(cm.data, node)) return false;
    if (cm) {
      await K8s(a.ConfigMap, ref).Patch(
        cm.data
          ? [{ op: "add", path: `/data/${pointerKey(node)}`, value: note }]
          : [{ op: "add", path: "/data", value: { [node]: note } }],
      );
      return true;
    }
    try {
      await K8s(a.ConfigMap).Create({
        metadata: {
          ...ref,
          labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
        },
        data: { [node]: note },
      });
      return true;
    } catch (err) {
      if (status(err) !== 409) throw err; // 409: created meanwhile; patch it next round
    }
  }
  throw new Error(`adding ${node} to the edge node allow-list kept conflicting`);
}

/** How an allow-list entry the module wrote begins; entries an admin wrote say anything else. */
export const JOIN_NOTE_PREFIX = "joined with bootstrap token ";

const noteFor = (csr: CsrLike): string =>
  `${JOIN_NOTE_PREFIX}${csr.spec?.username ?? "?"} (CSR ${csr.metadata?.name ?? "?"})`;

const pointerKey = (node: string): string => node.replaceAll("~", "~0").replaceAll("/", "~1");

/** A Node of this name that the edge agent did not register (a kubelet's, say). */
const registeredByOthers = (node: NodeLike | undefined): boolean =>
  node !== undefined && node.metadata?.labels?.[EDGE_AGENT_LABEL] === undefined;

export async function grantJoinedNode(csr: CsrLike): Promise<void> {
  const node = edgeJoinedNode(csr);
  if (!node) return;
  const existing = await nodeNamed(node);
  if (registeredByOthers(existing)) {
    log.warn(
      { node, csr: csr.metadata?.name },
      "edge bootstrap join names a Node the edge agent did not register; no edge role",
    );
    return;
  }
  if (await allowListed(node, noteFor(csr))) {
    log.info({ node, csr: csr.metadata?.name }, "edge node joined");
  }
  if (existing) await grantEdgeRole(existing);
}

/**
 * The JSON patch that drops a joined node's entry, guarded by a test of its value so that an
 * entry an admin rewrote meanwhile stays; undefined when there is nothing of ours to drop.
 */
export function forgetJoinedEntryPatch(
  data: Record<string, string> | undefined,
  node: string,
): ({ op: "test"; path: string; value: string } | { op: "remove"; path: string })[] | undefined {
  const note = data?.[node];
  if (note === undefined || !note.startsWith(JOIN_NOTE_PREFIX)) return undefined;
  const path = `/data/${pointerKey(node)}`;
  return [
    { op: "test", path, value: note },
    { op: "remove", path },
  ];
}

export async function forgetJoinedNode(node: NodeLike): Promise<void> {
  const name = node.metadata?.name;
  if (!name) return;
  const patch = forgetJoinedEntryPatch(await edgeNodeGrants(), name);
  if (!patch) return;
  try {
    await K8s(a.ConfigMap, {
      name: EDGE_NODE_GRANTS_CONFIGMAP,
      namespace: EDGE_NODE_GRANTS_NAMESPACE,
    }).Patch(patch);
  } catch (err) {
    // 422: the test op failed, someone changed the entry since we read it; theirs now.
    if (status(err) === 422) return;
    throw err;
  }
  log.info({ node: name }, "joined edge node deleted; its allow-list entry removed");
}
