/** Pepr handlers of the edge-pods capability: thin adapters over edge-pods.ts. */
import { K8s, Log, a, type PeprMutateRequest, type PeprValidateRequest } from "pepr";
import type { NodeLike } from "../nodes/edge-defaults.js";
import {
  edgePodDenial,
  requiresEdgeLabel,
  targetsEdgeNodes,
  withEdgeToleration,
  type PodLike,
  type Toleration,
} from "./edge-pods.js";

type ValidateResponse = ReturnType<PeprValidateRequest<a.Pod>["Approve"]>;
const log = Log.child({ component: "edge-pods" });

/**
 * The Nodes that decide whether the pod is an edge pod, read as narrowly as the pod allows: the
 * one it is bound to (one GET) or those with its nodeSelector's labels (a label-selected list).
 * Not every Node of the fleet on every pod write: that grew with the fleet (issue 15).
 */
async function nodesFor(pod: PodLike): Promise<NodeLike[]> {
  const nodeName = pod.spec?.nodeName;
  if (nodeName) return nodeNamed(nodeName);
  const selector = Object.entries(pod.spec?.nodeSelector ?? {});
  // No selector, or the edge role itself: the answer needs no Node.
  if (selector.length === 0 || requiresEdgeLabel(pod)) return [];
  const [[key, value], ...more] = selector as [[string, string], ...[string, string][]];
  let nodes = K8s(a.Node).WithLabel(key, value);
  for (const [k, v] of more) nodes = nodes.WithLabel(k, v);
  return (await nodes.Get()).items as NodeLike[];
}

async function nodeNamed(name: string): Promise<NodeLike[]> {
  try {
    return [(await K8s(a.Node).Get(name)) as NodeLike];
  } catch (err) {
    if ((err as { status?: number })?.status === 404) return [];
    throw err;
  }
}

async function isEdgePod(pod: PodLike): Promise<boolean> {
  try {
    return targetsEdgeNodes(pod, await nodesFor(pod));
  } catch (err) {
    // Failing open: refusing every pod while the Node list is unreadable would stop the cluster.
    log.warn({ err, pod: pod.metadata?.name }, "could not read Nodes; treating pod as cloud pod");
    return false;
  }
}

export async function tolerateEdgeTaint(req: PeprMutateRequest<a.Pod>): Promise<void> {
  const spec = req.Raw.spec;
  if (!spec || !(await isEdgePod(req.Raw as PodLike))) return;
  spec.tolerations = withEdgeToleration(spec.tolerations as Toleration[]);
}

export async function refuseUnsupportedEdgePod(
  req: PeprValidateRequest<a.Pod>,
): Promise<ValidateResponse> {
  if (!(await isEdgePod(req.Raw as PodLike))) return req.Approve();
  const message = edgePodDenial(req.Raw as PodLike);
  return message ? req.Deny(message) : req.Approve();
}
