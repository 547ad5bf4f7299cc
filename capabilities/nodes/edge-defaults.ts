/**
 * KubeEdge's defaults for a Node that joins as an edge node (labelled node-role.kubernetes.io/edge):
 * the agent role label, its hostname label, and the NoSchedule taint that keeps ordinary
 * workloads off edge nodes (pods that target edge nodes get the toleration from the pods
 * capability). Applied once, when the edge label appears, so an operator may remove the taint
 * afterwards without the webhook putting it back.
 */
import { EDGE_AGENT_LABEL, EDGE_NODE_ROLE_LABEL, EDGE_NODE_TAINT_KEY } from "@kubeedge-ts/contract";

export const EDGE_AGENT_ROLE_LABEL = "node-role.kubernetes.io/agent";
export const HOSTNAME_LABEL = "kubernetes.io/hostname";

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface NodeLike {
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: { taints?: Taint[] };
}

export const EDGE_TAINT: Taint = { key: EDGE_NODE_TAINT_KEY, effect: "NoSchedule" };

export function isEdgeNode(node: NodeLike | undefined): boolean {
  return node?.metadata?.labels?.[EDGE_NODE_ROLE_LABEL] !== undefined;
}

/**
 * True for a Node our edge agent registered that does not carry the edge role yet: the agent
 * may not set node-role.kubernetes.io labels itself (NodeRestriction), so the cloud adds it.
 */
export function needsEdgeRole(node: NodeLike | undefined): boolean {
  return node?.metadata?.labels?.[EDGE_AGENT_LABEL] !== undefined && !isEdgeNode(node);
}

/**
 * Whether an admin vouched for this node: its name is a key of the allow-list ConfigMap's data.
 * The agent's own label only asks; a node can set it on itself, so it never grants the role.
 */
export function edgeRoleGranted(
  grants: Record<string, string> | undefined,
  node: string | undefined,
): boolean {
  return node !== undefined && grants !== undefined && Object.hasOwn(grants, node);
}

/** True when this write turns the node into an edge node (create, or the label newly added). */
export function becomesEdgeNode(node: NodeLike, old: NodeLike | undefined): boolean {
  return isEdgeNode(node) && !isEdgeNode(old);
}

/** The node with the edge defaults added where missing. Does not change `node`. */
export function withEdgeDefaults<T extends NodeLike>(node: T): T {
  const out = structuredClone(node);
  const labels = { ...(out.metadata?.labels ?? {}) };
  labels[EDGE_AGENT_ROLE_LABEL] ??= "";
  const name = out.metadata?.name;
  if (name) labels[HOSTNAME_LABEL] ??= name;
  out.metadata = { ...(out.metadata ?? {}), labels };
  const taints = out.spec?.taints ?? [];
  if (!taints.some(t => t.key === EDGE_TAINT.key && t.effect === EDGE_TAINT.effect)) {
    out.spec = { ...(out.spec ?? {}), taints: [...taints, { ...EDGE_TAINT }] };
  }
  return out;
}
