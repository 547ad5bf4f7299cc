/**
 * What producers put in the outbox for EdgeHub to send, per kind (Device status reports have
 * their own file, device-status.ts, because they merge). Modules import these from the store,
 * not from EdgeHub, which only consumes them.
 */

/** Payload of `OutboxKind.Event`: a core/v1 Event about this node. */
export interface NodeEventReport {
  reason: string;
  message: string;
  type?: "Normal" | "Warning";
  /** Defaults to this Node. */
  involvedObject?: {
    kind: string;
    name: string;
    namespace?: string;
    uid?: string;
    apiVersion?: string;
  };
}

/** Payload of `OutboxKind.PodDelete`: kubelet's final, uid-preconditioned delete. */
export interface PodDeleteRequest {
  namespace: string;
  name: string;
  uid: string;
}

/** Payload of `OutboxKind.PodStatus`: the pod's status subresource. */
export interface PodStatusReport {
  namespace: string;
  name: string;
  status: Record<string, unknown>;
}
