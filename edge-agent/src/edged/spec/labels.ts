/**
 * The labels and annotations edged puts on CRI sandboxes and containers: kubelet's keys, so
 * tools that know kubelet's (crictl, log shippers) read ours. They are how running pods are
 * adopted after an agent restart: the runtime, not the agent, remembers what runs.
 */
export const Label = {
  PodUid: "io.kubernetes.pod.uid",
  PodName: "io.kubernetes.pod.name",
  PodNamespace: "io.kubernetes.pod.namespace",
  ContainerName: "io.kubernetes.container.name",
  /**
   * The node whose agent owns the sandbox. Not kubelet's: a kubelet owns its runtime alone,
   * but tests and demos may run several agents on one containerd, and each must leave the
   * others' pods alone.
   */
  Node: "agent.kubeedge-ts.io/node",
} as const;

export const Annotation = {
  RestartCount: "io.kubernetes.container.restartCount",
  /** Hash of the container's spec: a different hash means the spec changed → restart. */
  ContainerHash: "io.kubernetes.container.hash",
  /** "init" for init containers (they run to completion, in order). */
  ContainerKind: "agent.kubeedge-ts.io/container-kind",
  GracePeriod: "io.kubernetes.pod.terminationGracePeriod",
} as const;
