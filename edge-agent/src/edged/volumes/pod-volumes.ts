import { mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Device, Mount } from "../cri/types.js";
import type { ContainerSpec, Pod } from "../pod.js";
import type { PodRuntimeFields } from "../spec/field-path.js";
import type { ObjectSource } from "../spec/objects.js";
import { writeAtomic } from "./atomic-writer.js";
import { volumeSource } from "./sources.js";

/** Host paths of a pod's volumes, by volume name. */
export type VolumePaths = ReadonlyMap<string, string>;

export const podDirectory = (root: string, uid: string): string => join(root, uid);

/**
 * Writes a pod's volumes under `<podsRoot>/<uid>/volumes/<name>` from the local store: called
 * on every sync, so a changed ConfigMap or Secret reaches running containers (the atomic
 * writer makes that a no-op when nothing changed). Returns the paths, or the first volume that
 * cannot be served (the pod waits; the caller reports it).
 */
export function setUpVolumes(
  podsRoot: string,
  pod: Pod,
  objects: ObjectSource,
  runtime: PodRuntimeFields,
): { paths: VolumePaths } | { error: string } {
  const base = join(podDirectory(podsRoot, pod.metadata.uid), "volumes");
  const paths = new Map<string, string>();
  for (const volume of pod.spec.volumes ?? []) {
    const result = volumeSource(pod, volume, objects, runtime);
    if ("error" in result) return result;
    const { source } = result;
    if (source.type === "hostPath") {
      if (source.create) mkdirSync(source.path, { recursive: true });
      paths.set(volume.name, source.path);
      continue;
    }
    const dir = join(base, volume.name);
    if (source.type === "emptyDir") mkdirSync(dir, { recursive: true });
    else writeAtomic(dir, source.files);
    paths.set(volume.name, dir);
  }
  return { paths };
}

export function removePodDirectory(podsRoot: string, uid: string): void {
  rmSync(podDirectory(podsRoot, uid), { recursive: true, force: true });
}

function isCharDevice(path: string): boolean {
  try {
    return statSync(path).isCharacterDevice();
  } catch {
    return false;
  }
}

/**
 * A container's mounts. A hostPath that is a character device (a serial port for a Modbus
 * RTU mapper) becomes a CRI device instead, so the container's device cgroup allows it.
 */
export function containerMounts(
  container: ContainerSpec,
  paths: VolumePaths,
): { mounts: Mount[]; devices: Device[] } {
  const mounts: Mount[] = [];
  const devices: Device[] = [];
  for (const m of container.volumeMounts ?? []) {
    const hostPath = paths.get(m.name);
    if (hostPath === undefined) continue;
    if (isCharDevice(hostPath)) {
      devices.push({ containerPath: m.mountPath, hostPath, permissions: "rwm" });
    } else {
      mounts.push({ containerPath: m.mountPath, hostPath, readonly: m.readOnly === true });
    }
  }
  return { mounts, devices };
}
