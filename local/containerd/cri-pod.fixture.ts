/**
 * Test fixtures: CRI configs of a minimal pod (sandbox + busybox container), as the edge
 * agent's CRI client takes them, for tests of the runtime itself.
 */
import { join } from "node:path";
import type { Cri } from "../../edge-agent/src/edged/cri/client.js";
import type { ContainerConfig, PodSandboxConfig } from "../../edge-agent/src/edged/cri/types.js";
import { BUSYBOX_IMAGE } from "../images/index.js";

const securityContext = { namespaceOptions: {}, privileged: false };

/** A sandbox named `name` in namespace default, logging under `logDirectory`. */
export function sandboxConfig(name: string, uid: string, logDirectory: string): PodSandboxConfig {
  return {
    metadata: { name, namespace: "default", uid, attempt: 0 },
    hostname: name,
    logDirectory,
    portMappings: [],
    labels: {},
    annotations: {},
    linux: { securityContext },
  };
}

/** A busybox container running `command`, logging to <sandbox log dir>/<name>/0.log. */
export function busyboxContainer(name: string, command: string[]): ContainerConfig {
  return {
    metadata: { name, attempt: 0 },
    image: { image: BUSYBOX_IMAGE },
    command,
    args: [],
    workingDir: "",
    envs: [],
    mounts: [],
    devices: [],
    labels: {},
    annotations: {},
    logPath: `${name}/0.log`,
    linux: {
      resources: { cpuPeriod: 0, cpuQuota: 0, cpuShares: 0, memoryLimitInBytes: 0 },
      securityContext,
    },
  };
}

/** A pod whose one container sleeps for an hour: something for a teardown to clean up. */
export async function runSleeperPod(
  cri: Cri,
  dir: string,
): Promise<{ sandboxId: string; containerId: string }> {
  const uid = `sleeper-${process.pid}`;
  const sandbox = sandboxConfig("sleeper", uid, join(dir, "pods", uid));
  const sandboxId = await cri.runPodSandbox(sandbox);
  const container = busyboxContainer("sleeper", ["sleep", "3600"]);
  const containerId = await cri.createContainer(sandboxId, container, sandbox);
  await cri.startContainer(containerId);
  return { sandboxId, containerId };
}
