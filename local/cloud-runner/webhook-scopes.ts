/**
 * Narrowing the module's webhooks to the objects its handlers act on. With `failurePolicy: Fail`
 * a stopped module refuses every request its webhooks match; a webhook that matched every Pod
 * CREATE and every Node write stopped the whole cluster's pod creates and node cordons. The
 * apiserver evaluates `objectSelector` and `matchConditions` (CEL) itself, so requests they
 * exclude never reach the module and keep working while it is down. Each condition here is the
 * pure precondition of the capability's handler (it returns early when the condition is false),
 * so narrowing changes nothing while the module runs.
 */
import type { V1LabelSelector, V1MatchCondition } from "@kubernetes/client-node";
import { EDGE_NODE_ROLE_LABEL } from "@kubeedge-ts/contract";

export interface WebhookScope {
  /** First label of the webhook's name, `<prefix>.<module>.pepr.dev`. */
  prefix: string;
  /** The core/v1 resource whose rules go to this webhook. */
  resource: string;
  objectSelector?: V1LabelSelector;
  matchConditions: V1MatchCondition[];
}

const ROLE = `'${EDGE_NODE_ROLE_LABEL}'`;

/**
 * Nodes: capabilities/nodes applies the edge defaults only when the edge role label appears
 * (becomesEdgeNode). The object selector keeps non-edge Nodes out (for an UPDATE the apiserver
 * sends the request when old or new object matches); the condition keeps out edge Nodes whose
 * label was already there: cordons, taint edits, the agent's own writes.
 */
export const NODE_SCOPE: WebhookScope = {
  prefix: "nodes",
  resource: "nodes",
  objectSelector: { matchExpressions: [{ key: EDGE_NODE_ROLE_LABEL, operator: "Exists" }] },
  matchConditions: [
    {
      name: "becomes-edge-node",
      expression:
        `has(object.metadata.labels) && ${ROLE} in object.metadata.labels && ` +
        `(oldObject == null || !has(oldObject.metadata.labels) || ` +
        `!(${ROLE} in oldObject.metadata.labels))`,
    },
  ],
};

/**
 * Pods: capabilities/pods acts only on pods that can land on edge nodes only, which needs a
 * nodeName, a nodeSelector or a required node affinity (targetsEdgeNodes is false otherwise).
 * A pod with none of them (most Deployments' pods) never reaches the module.
 */
export const POD_SCOPE: WebhookScope = {
  prefix: "pods",
  resource: "pods",
  matchConditions: [
    {
      name: "may-target-edge-nodes",
      expression:
        "(has(object.spec.nodeName) && object.spec.nodeName != '') || " +
        "(has(object.spec.nodeSelector) && size(object.spec.nodeSelector) > 0) || " +
        "(has(object.spec.affinity) && has(object.spec.affinity.nodeAffinity) && " +
        "has(object.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution))",
    },
  ],
};

export const WEBHOOK_SCOPES = [NODE_SCOPE, POD_SCOPE];

/** The scope a rule's resources belong to, or undefined for the module's own kinds. */
export function scopeOf(
  resources: string[] | undefined,
  apiGroups: string[] | undefined,
): WebhookScope | undefined {
  if (!(apiGroups ?? []).includes("")) return undefined;
  return WEBHOOK_SCOPES.find(s => (resources ?? []).includes(s.resource));
}
