import type { PodSandboxConfig, PortMapping } from "../cri/types.js";
import type { Pod } from "../pod.js";
import { Label } from "./labels.js";

/** Where the pod's container logs go: kubelet's `<ns>_<name>_<uid>` under the log root. */
export const podLogDirectory = (logRoot: string, pod: Pod): string =>
  `${logRoot}/${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}`;

/** Labels that find this pod's sandboxes and containers again (adoption, clean-up). */
export function podLabels(pod: Pod, nodeName: string): Record<string, string> {
  return {
    [Label.PodUid]: pod.metadata.uid,
    [Label.PodName]: pod.metadata.name,
    [Label.PodNamespace]: pod.metadata.namespace,
    [Label.Node]: nodeName,
  };
}

const isPrivileged = (pod: Pod): boolean =>
  [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].some(
    c => c.securityContext?.privileged === true,
  );

function portMappings(pod: Pod): PortMapping[] {
  const out: PortMapping[] = [];
  for (const c of pod.spec.containers) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      const protocol = (p.protocol ?? "TCP").toUpperCase() as PortMapping["protocol"];
      out.push({ protocol, containerPort: p.containerPort, hostPort: p.hostPort, hostIp: "" });
    }
  }
  return out;
}

/**
 * The CRI sandbox of a pod. The sandbox owns the pod's network namespace: host network pods
 * share the node's (and must leave the hostname empty, containerd refuses one), others get a
 * CNI address. A privileged container needs a privileged sandbox.
 */
export function sandboxConfig(
  pod: Pod,
  opts: { nodeName: string; logRoot: string; attempt: number },
): PodSandboxConfig {
  const hostNetwork = pod.spec.hostNetwork === true;
  return {
    metadata: {
      name: pod.metadata.name,
      uid: pod.metadata.uid,
      namespace: pod.metadata.namespace,
      attempt: opts.attempt,
    },
    hostname: hostNetwork ? "" : pod.metadata.name.slice(0, 63),
    logDirectory: podLogDirectory(opts.logRoot, pod),
    portMappings: portMappings(pod),
    labels: { ...pod.metadata.labels, ...podLabels(pod, opts.nodeName) },
    annotations: { ...pod.metadata.annotations },
    linux: {
      securityContext: {
        namespaceOptions: { network: hostNetwork ? "NODE" : "POD", pid: "CONTAINER", ipc: "POD" },
        privileged: isPrivileged(pod),
      },
    },
  };
}
