/**
 * Pods that target edge nodes. The edge agent runs containers through CRI with only the volume
 * kinds it can materialise locally (and keep through an offline reboot): configMap, secret,
 * emptyDir, hostPath, and the projected service-account token volume every pod gets. Anything
 * else (PVCs, CSI, NFS, ...) would be admitted and then never start, so it is refused here.
 */
import { EDGE_NODE_ROLE_LABEL, EDGE_NODE_TAINT_KEY } from "@kubeedge-ts/contract";
import { isEdgeNode, type NodeLike } from "../nodes/edge-defaults.js";

export const SUPPORTED_VOLUMES = ["configMap", "secret", "emptyDir", "hostPath", "projected"];
/** What the service-account admission plugin projects into kube-api-access-* volumes. */
const PROJECTED_SOURCES = new Set(["serviceAccountToken", "configMap", "downwardAPI", "secret"]);

interface Requirement {
  key?: string;
  operator?: string;
  values?: string[];
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

export interface PodLike {
  metadata?: { name?: string; generateName?: string; namespace?: string };
  spec?: {
    nodeName?: string;
    nodeSelector?: Record<string, string>;
    affinity?: {
      nodeAffinity?: {
        requiredDuringSchedulingIgnoredDuringExecution?: {
          nodeSelectorTerms?: { matchExpressions?: Requirement[] }[];
        };
      };
    };
    tolerations?: Toleration[];
    volumes?: ({ name?: string } & Record<string, unknown>)[];
  };
}

function matchesLabels(node: NodeLike, selector: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => node.metadata?.labels?.[k] === v);
}

/** The pod asks for the edge role itself (nodeSelector or required node affinity). */
export function requiresEdgeLabel(pod: PodLike): boolean {
  if (pod.spec?.nodeSelector?.[EDGE_NODE_ROLE_LABEL] !== undefined) return true;
  const terms =
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
      ?.nodeSelectorTerms ?? [];
  return (
    terms.length > 0 &&
    terms.every(t =>
      (t.matchExpressions ?? []).some(
        r => r.key === EDGE_NODE_ROLE_LABEL && (r.operator === "Exists" || r.operator === "In"),
      ),
    )
  );
}

/**
 * Whether the pod can only run on edge nodes: bound to one, asking for the edge role, or with a
 * nodeSelector (e.g. the mappers' modbus=true) that only edge nodes match. `nodes` are the
 * cluster's Nodes (needed for the first and last case).
 */
export function targetsEdgeNodes(pod: PodLike, nodes: NodeLike[]): boolean {
  const nodeName = pod.spec?.nodeName;
  if (nodeName) return isEdgeNode(nodes.find(n => n.metadata?.name === nodeName));
  if (requiresEdgeLabel(pod)) return true;
  const selector = pod.spec?.nodeSelector ?? {};
  if (Object.keys(selector).length === 0) return false;
  const matching = nodes.filter(n => matchesLabels(n, selector));
  return matching.length > 0 && matching.every(isEdgeNode);
}

function volumeKind(volume: Record<string, unknown>): string | undefined {
  return Object.keys(volume).find(k => k !== "name");
}

function volumeProblem(volume: Record<string, unknown>, i: number): string | undefined {
  const where = `spec.volumes[${i}] (${JSON.stringify(volume.name)})`;
  const kind = volumeKind(volume);
  if (!kind || !SUPPORTED_VOLUMES.includes(kind)) {
    return `${where}: volume type ${kind ?? "(none)"} is not supported on edge nodes`;
  }
  if (kind !== "projected") return undefined;
  const sources = ((volume.projected as { sources?: object[] })?.sources ?? []).flatMap(s =>
    Object.keys(s),
  );
  const bad = sources.filter(s => !PROJECTED_SOURCES.has(s));
  return bad.length > 0
    ? `${where}: projected source ${bad.join(", ")} is not supported on edge nodes`
    : undefined;
}

/** The denial message for a pod bound for edge nodes, or undefined when the agent can run it. */
export function edgePodDenial(pod: PodLike): string | undefined {
  const problems = (pod.spec?.volumes ?? []).map(volumeProblem).filter((p): p is string => !!p);
  if (problems.length === 0) return undefined;
  const name = pod.metadata?.name ?? pod.metadata?.generateName ?? "";
  return (
    `Pod ${pod.metadata?.namespace ?? ""}/${name} targets edge nodes, whose agent runs only ` +
    `configMap, secret, emptyDir, hostPath and projected service-account token volumes: ${problems.join("; ")}`
  );
}

function tolerates(t: Toleration): boolean {
  const keyMatches =
    t.key === EDGE_NODE_TAINT_KEY || (t.key === undefined && t.operator === "Exists");
  return keyMatches && (t.effect === undefined || t.effect === "" || t.effect === "NoSchedule");
}

/** The pod's tolerations with the edge taint's added when none covers it yet. */
export function withEdgeToleration(tolerations: Toleration[] | undefined): Toleration[] {
  const list = tolerations ?? [];
  if (list.some(tolerates)) return list;
  return [...list, { key: EDGE_NODE_TAINT_KEY, operator: "Exists", effect: "NoSchedule" }];
}
