import { createHash } from "node:crypto";
import type { ContainerConfig, Device, Mount } from "../cri/types.js";
import type { ContainerSpec, Pod } from "../pod.js";
import { expand } from "./env.js";
import { Annotation, Label } from "./labels.js";
import { podLabels } from "./sandbox-config.js";
import { linuxResources } from "./resources.js";

export type ContainerKind = "init" | "regular";

/** Hash of a container's spec; a new hash (a spec change) restarts the container. */
export const containerHash = (c: ContainerSpec): string =>
  createHash("sha256").update(JSON.stringify(c)).digest("hex").slice(0, 16);

/** Log file of one run of a container, relative to the sandbox's log directory. */
export const containerLogPath = (name: string, restartCount: number): string =>
  `${name}/${restartCount}.log`;

export interface ContainerInputs {
  nodeName: string;
  kind: ContainerKind;
  restartCount: number;
  env: { key: string; value: string }[];
  mounts: Mount[];
  devices: Device[];
}

/**
 * The CRI config of one run of a container. command/args replace the image's entrypoint/cmd
 * (CRI's names match Kubernetes'), with `$(VAR)` expanded against the container's env.
 */
export function containerConfig(
  pod: Pod,
  c: ContainerSpec,
  inputs: ContainerInputs,
): ContainerConfig {
  const vars = new Map(inputs.env.map(e => [e.key, e.value]));
  const sc = c.securityContext ?? {};
  return {
    metadata: { name: c.name, attempt: inputs.restartCount },
    image: { image: c.image },
    command: (c.command ?? []).map(s => expand(s, vars)),
    args: (c.args ?? []).map(s => expand(s, vars)),
    workingDir: c.workingDir ?? "",
    envs: inputs.env.map(e => ({ key: e.key, value: Buffer.from(e.value, "utf8") })),
    mounts: inputs.mounts,
    devices: inputs.devices,
    labels: { ...podLabels(pod, inputs.nodeName), [Label.ContainerName]: c.name },
    annotations: {
      [Annotation.RestartCount]: String(inputs.restartCount),
      [Annotation.ContainerHash]: containerHash(c),
      [Annotation.ContainerKind]: inputs.kind,
      [Annotation.GracePeriod]: String(pod.spec.terminationGracePeriodSeconds ?? 30),
    },
    logPath: containerLogPath(c.name, inputs.restartCount),
    linux: {
      resources: linuxResources(c.resources),
      securityContext: {
        privileged: sc.privileged === true,
        namespaceOptions: {
          network: pod.spec.hostNetwork === true ? "NODE" : "POD",
          pid: "CONTAINER",
          ipc: "POD",
        },
        ...(sc.capabilities
          ? {
              capabilities: {
                addCapabilities: sc.capabilities.add ?? [],
                dropCapabilities: sc.capabilities.drop ?? [],
              },
            }
          : {}),
        ...(sc.runAsUser !== undefined ? { runAsUser: { value: sc.runAsUser } } : {}),
        ...(sc.runAsGroup !== undefined ? { runAsGroup: { value: sc.runAsGroup } } : {}),
      },
    },
  };
}
