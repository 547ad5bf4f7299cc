/** Pepr handlers of the edge-pods capability: thin adapters over edge-pods.ts. */
import { K8s, Log, a, type PeprMutateRequest, type PeprValidateRequest } from "pepr";
import type { NodeLike } from "../nodes/edge-defaults.js";
import {
  edgePodDenial,
  targetsEdgeNodes,
  withEdgeToleration,
  type PodLike,
  type Toleration,
} from "./edge-pods.js";

type ValidateResponse = ReturnType<PeprValidateRequest<a.Pod>["Approve"]>;
const log = Log.child({ component: "edge-pods" });

async function nodesFor(pod: PodLike): Promise<NodeLike[]> {
  // Only a node name or a nodeSelector needs the Node list; skip the read for other pods.
  if (!pod.spec?.nodeName && Object.keys(pod.spec?.nodeSelector ?? {}).length === 0) return [];
  return (await K8s(a.Node).Get()).items as NodeLike[];
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
