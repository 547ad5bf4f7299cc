import type { Pod } from "../pod.js";
import { milliCpu, parseQuantity } from "../spec/quantity.js";

export interface Allocatable {
  milliCpu: number;
  memoryBytes: number;
  pods: number;
}

export interface Rejection {
  reason: "OutOfcpu" | "OutOfmemory" | "OutOfpods";
  message: string;
}

/** A pod's requests (a container without a request asks for nothing, as the scheduler counts). */
export function podRequests(pod: Pod): { milliCpu: number; memoryBytes: number } {
  let cpu = 0;
  let memory = 0;
  for (const c of pod.spec.containers) {
    cpu += milliCpu(c.resources?.requests?.cpu) ?? 0;
    memory += parseQuantity(c.resources?.requests?.memory) ?? 0;
  }
  // Init containers run one at a time: the largest of them counts if it exceeds the sum.
  for (const c of pod.spec.initContainers ?? []) {
    cpu = Math.max(cpu, milliCpu(c.resources?.requests?.cpu) ?? 0);
    memory = Math.max(memory, parseQuantity(c.resources?.requests?.memory) ?? 0);
  }
  return { milliCpu: cpu, memoryBytes: memory };
}

/**
 * Kubelet's admission of a pod the node has not started yet: refused when, with the pods
 * already admitted, its requests exceed what the node reports allocatable. The pod then ends
 * `Failed` with reason OutOfcpu / OutOfmemory / OutOfpods and never runs here.
 */
export function admitPod(
  pod: Pod,
  admitted: readonly Pod[],
  node: Allocatable,
): Rejection | undefined {
  if (admitted.length + 1 > node.pods) {
    return {
      reason: "OutOfpods",
      message: `Node didn't have enough resource: pods, capacity: ${node.pods}`,
    };
  }
  const want = podRequests(pod);
  const used = admitted.map(podRequests).reduce(
    (a, b) => ({
      milliCpu: a.milliCpu + b.milliCpu,
      memoryBytes: a.memoryBytes + b.memoryBytes,
    }),
    { milliCpu: 0, memoryBytes: 0 },
  );
  if (want.milliCpu > 0 && used.milliCpu + want.milliCpu > node.milliCpu) {
    return {
      reason: "OutOfcpu",
      message: `Node didn't have enough resource: cpu, requested: ${want.milliCpu}, used: ${used.milliCpu}, capacity: ${node.milliCpu}`,
    };
  }
  if (want.memoryBytes > 0 && used.memoryBytes + want.memoryBytes > node.memoryBytes) {
    return {
      reason: "OutOfmemory",
      message: `Node didn't have enough resource: memory, requested: ${want.memoryBytes}, used: ${used.memoryBytes}, capacity: ${node.memoryBytes}`,
    };
  }
  return undefined;
}
