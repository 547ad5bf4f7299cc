import {
  EDGE_AGENT_LABEL,
  EDGE_AGENT_LABEL_VALUE,
  NODE_LEASE_NAMESPACE,
} from "@kubeedge-ts/contract";
import type { EdgedConfig } from "../config/types.js";
import type { KubeObject } from "../kube/client.js";
import type { HostFacts } from "../util/host-facts.js";
import type { NodeRuntimeFacts } from "../edged/images/node-images.js";

/** Reported as kubeletVersion so `kubectl get nodes` shows what runs the node. */
export const NOT_READY_TAINT_KEY = "node.kubernetes.io/not-ready";

export const AGENT_VERSION = "v1.31.0-kubeedge-ts-0.1.0";

export interface NodeCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  lastHeartbeatTime: string;
  lastTransitionTime: string;
}

/** Labels a node may set on itself (NodeRestriction refuses other kubernetes.io labels). */
export function selfLabels(nodeName: string, host: HostFacts, extra: Record<string, string>) {
  return {
    "kubernetes.io/hostname": nodeName,
    "kubernetes.io/os": host.os,
    "kubernetes.io/arch": host.arch,
    "beta.kubernetes.io/os": host.os,
    "beta.kubernetes.io/arch": host.arch,
    ...extra,
  };
}

/**
 * The Node this agent registers: its own labels plus the edge-agent marker, from which the
 * cloud derives the edge role label (a node may not set node-role.kubernetes.io on itself).
 */
export function buildNode(
  nodeName: string,
  host: HostFacts,
  edged: EdgedConfig,
  now: Date,
): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: nodeName,
      labels: {
        ...selfLabels(nodeName, host, edged.labels),
        [EDGE_AGENT_LABEL]: EDGE_AGENT_LABEL_VALUE,
      },
    },
    // Registered not-ready, as kubelet does: the node lifecycle controller lifts the taint once
    // it sees Ready=True, so nothing schedules onto a node that never reported status.
    spec: { taints: [{ key: NOT_READY_TAINT_KEY, effect: "NoSchedule" }] },
    status: buildNodeStatus(host, edged, now, []),
  };
}

export function capacity(host: HostFacts, edged: EdgedConfig): Record<string, string> {
  return {
    cpu: edged.cpu || String(host.cpus),
    memory: edged.memory || `${Math.floor(host.memoryBytes / 1024)}Ki`,
    pods: String(edged.maxPods),
  };
}

/**
 * The status this node reports. Conditions keep their lastTransitionTime while their status
 * does not change, as kubelet does, so watchers can tell a flap from a heartbeat.
 */
export function buildNodeStatus(
  host: HostFacts,
  edged: EdgedConfig,
  now: Date,
  previous: NodeCondition[],
  runtime?: NodeRuntimeFacts,
): Record<string, unknown> {
  const res = capacity(host, edged);
  return {
    // Until edged has talked to the runtime: no images, the endpoint as the runtime's name.
    ...(runtime ? { images: runtime.images } : {}),
    capacity: res,
    allocatable: res,
    addresses: [
      { type: "InternalIP", address: host.ip },
      { type: "Hostname", address: host.hostname },
    ],
    conditions: conditions(now, previous),
    // The kubelet API (kubectl logs) runs only beside a container runtime.
    daemonEndpoints: { kubeletEndpoint: { Port: edged.remoteRuntimeEndpoint ? edged.port : 0 } },
    nodeInfo: {
      machineID: host.machineID,
      systemUUID: host.systemUUID,
      bootID: host.bootID,
      kernelVersion: host.kernelVersion,
      osImage: host.osImage,
      containerRuntimeVersion:
        runtime?.containerRuntimeVersion ?? `remote://${edged.remoteRuntimeEndpoint}`,
      kubeletVersion: AGENT_VERSION,
      kubeProxyVersion: "",
      operatingSystem: host.os,
      architecture: host.arch,
    },
  };
}

/** True when the Node as stored in the cloud says Ready=True. */
export function storedAsReady(node: { [k: string]: unknown }): boolean {
  const conditions = (node.status as { conditions?: NodeCondition[] } | undefined)?.conditions;
  return conditions?.find(c => c.type === "Ready")?.status === "True";
}

/**
 * What a Node status says, without its heartbeat times: two statuses with the same key differ
 * only in when they were sent, so the second need not be sent (the Lease is the heartbeat).
 */
export function statusKey(status: Record<string, unknown>): string {
  const conditions = (status.conditions as NodeCondition[] | undefined)?.map(c => ({
    ...c,
    lastHeartbeatTime: undefined,
  }));
  return JSON.stringify({ ...status, conditions });
}

function conditions(now: Date, previous: NodeCondition[]): NodeCondition[] {
  const t = now.toISOString().replace(/\.\d+Z$/, "Z");
  const make = (type: string, status: NodeCondition["status"], reason: string, message: string) => {
    const prev = previous.find(c => c.type === type);
    const since = prev && prev.status === status ? prev.lastTransitionTime : t;
    return { type, status, reason, message, lastHeartbeatTime: t, lastTransitionTime: since };
  };
  return [
    make(
      "MemoryPressure",
      "False",
      "KubeletHasSufficientMemory",
      "edge agent has sufficient memory",
    ),
    make("DiskPressure", "False", "KubeletHasNoDiskPressure", "edge agent has no disk pressure"),
    make("PIDPressure", "False", "KubeletHasSufficientPID", "edge agent has sufficient PID"),
    make("Ready", "True", "EdgeReady", "edge agent is posting ready status"),
  ];
}

/** Lease kube-node-lease/<node>, owned by the Node so it goes away with it. */
export function buildLease(
  nodeName: string,
  nodeUid: string | undefined,
  durationSeconds: number,
  now: Date,
): KubeObject {
  const metadata: KubeObject["metadata"] = { name: nodeName, namespace: NODE_LEASE_NAMESPACE };
  if (nodeUid) {
    metadata.ownerReferences = [{ apiVersion: "v1", kind: "Node", name: nodeName, uid: nodeUid }];
  }
  return {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata,
    spec: {
      holderIdentity: nodeName,
      leaseDurationSeconds: durationSeconds,
      renewTime: microTime(now),
    },
  };
}

/** Lease times are MicroTime: RFC3339 with microseconds. */
export function microTime(now: Date): string {
  return now.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}
