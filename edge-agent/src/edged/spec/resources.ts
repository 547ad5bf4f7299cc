import type { LinuxContainerResources } from "../cri/types.js";
import type { ContainerSpec } from "../pod.js";
import { milliCpu, parseQuantity } from "./quantity.js";

/** Kubelet's CFS period and the share floor (a zero request still gets 2 shares). */
const CPU_PERIOD_US = 100_000;
const MIN_SHARES = 2;

/**
 * A container's requests/limits as cgroup settings, as kubelet computes them: shares from the
 * cpu request (or the limit when no request), quota from the cpu limit, memory limit in bytes.
 */
export function linuxResources(resources: ContainerSpec["resources"]): LinuxContainerResources {
  const cpuRequest = milliCpu(resources?.requests?.cpu);
  const cpuLimit = milliCpu(resources?.limits?.cpu);
  const shareBase = cpuRequest ?? cpuLimit ?? 0;
  const memoryLimit = parseQuantity(resources?.limits?.memory);
  return {
    cpuShares: Math.max(MIN_SHARES, Math.floor((shareBase * 1024) / 1000)),
    cpuPeriod: cpuLimit === undefined ? 0 : CPU_PERIOD_US,
    cpuQuota: cpuLimit === undefined ? 0 : Math.floor((cpuLimit * CPU_PERIOD_US) / 1000),
    memoryLimitInBytes: memoryLimit === undefined ? 0 : Math.floor(memoryLimit),
  };
}

export type QosClass = "Guaranteed" | "Burstable" | "BestEffort";

/** The pod's QoS class (kubelet's qos.GetPodQOS for cpu and memory). */
export function qosClass(containers: readonly ContainerSpec[]): QosClass {
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    for (const r of ["cpu", "memory"]) {
      const req = c.resources?.requests?.[r] ?? c.resources?.limits?.[r];
      const lim = c.resources?.limits?.[r];
      if (req !== undefined || lim !== undefined) any = true;
      if (lim === undefined || parseQuantity(req) !== parseQuantity(lim)) guaranteed = false;
    }
  }
  if (!any) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}
