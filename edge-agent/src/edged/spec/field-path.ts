import type { Pod } from "../pod.js";

/** Runtime facts a fieldRef may ask for besides the pod object itself. */
export interface PodRuntimeFields {
  hostIP: string;
  podIP: string;
}

/**
 * The value of a downward-API fieldPath (env fieldRef, downwardAPI volume items), or undefined
 * for a path kubelet does not serve either.
 */
export function fieldPathValue(
  pod: Pod,
  path: string,
  runtime: PodRuntimeFields,
): string | undefined {
  const indexed = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (indexed) return pod.metadata[indexed[1] as "labels" | "annotations"]?.[indexed[2]!] ?? "";
  switch (path) {
    case "metadata.name":
      return pod.metadata.name;
    case "metadata.namespace":
      return pod.metadata.namespace;
    case "metadata.uid":
      return pod.metadata.uid;
    case "metadata.labels":
      return mapLines(pod.metadata.labels);
    case "metadata.annotations":
      return mapLines(pod.metadata.annotations);
    case "spec.nodeName":
      return pod.spec.nodeName ?? "";
    case "spec.serviceAccountName":
      return pod.spec.serviceAccountName ?? "";
    case "status.hostIP":
    case "status.hostIPs":
      return runtime.hostIP;
    case "status.podIP":
    case "status.podIPs":
      return runtime.podIP;
    default:
      return undefined;
  }
}

/** `key="value"` lines, sorted: the downward API's format for label and annotation maps. */
function mapLines(map: Record<string, string> | undefined): string {
  return Object.keys(map ?? {})
    .sort()
    .map(k => `${k}=${JSON.stringify(map![k])}`)
    .join("\n");
}
