import type { KeyToPath, Pod, ProjectedSource, VolumeSpec } from "../pod.js";
import { fieldPathValue, type PodRuntimeFields } from "../spec/field-path.js";
import type { ObjectData, ObjectSource } from "../spec/objects.js";
import type { VolumeFiles } from "./atomic-writer.js";

/** How a volume reaches the container. */
export type VolumeSource =
  | { type: "files"; files: VolumeFiles }
  | { type: "emptyDir" }
  | { type: "hostPath"; path: string; create: boolean };

export type VolumeResult = { source: VolumeSource } | { error: string };

/** The volume types edged serves; anything else is refused with an event. */
export const SERVED_VOLUME_TYPES = ["configMap", "secret", "emptyDir", "hostPath", "projected"];

/** Secret files are readable by the owner only, as kubelet writes them (defaultMode 0644 else). */
const SECRET_MODE = 0o644;

function project(
  obj: ObjectData,
  items: KeyToPath[] | undefined,
  mode?: number,
): VolumeFiles | { error: string } {
  const files: VolumeFiles = {};
  const wanted = items ?? Object.keys(obj.data).map(key => ({ key, path: key }));
  for (const { key, path } of wanted) {
    const content = obj.data[key];
    if (content === undefined) return { error: `key ${key} not found` };
    files[path] = mode === undefined ? { content } : { content, mode };
  }
  return files;
}

function objectFiles(
  obj: ObjectData | undefined,
  what: string,
  ref: { items?: KeyToPath[]; optional?: boolean },
  mode?: number,
): VolumeFiles | { error: string } {
  if (!obj) return ref.optional ? {} : { error: `${what} not found` };
  const files = project(obj, ref.items, mode);
  return "error" in files ? { error: `${what}: ${files.error}` } : files;
}

function projectedFiles(
  pod: Pod,
  sources: ProjectedSource[],
  objects: ObjectSource,
  runtime: PodRuntimeFields,
): VolumeFiles | { error: string } {
  const ns = pod.metadata.namespace;
  const all: VolumeFiles = {};
  for (const s of sources) {
    let files: VolumeFiles | { error: string } = {};
    if (s.configMap) {
      const what = `configmap "${s.configMap.name}"`;
      files = objectFiles(objects.configMap(ns, s.configMap.name), what, s.configMap);
    } else if (s.secret) {
      const what = `secret "${s.secret.name}"`;
      files = objectFiles(objects.secret(ns, s.secret.name), what, s.secret, SECRET_MODE);
    } else if (s.downwardAPI) {
      files = downwardFiles(pod, s.downwardAPI.items, runtime);
    } else if (s.serviceAccountToken && objects.serviceAccountToken) {
      const token = objects.serviceAccountToken(pod, s.serviceAccountToken);
      files =
        token === undefined
          ? { error: "no service account token yet (TokenRequest failed)" }
          : { [s.serviceAccountToken.path]: { content: Buffer.from(token) } };
    }
    if ("error" in files) return files as { error: string };
    Object.assign(all, files);
  }
  return all;
}

function downwardFiles(
  pod: Pod,
  items: { path: string; fieldRef?: { fieldPath: string } }[],
  runtime: PodRuntimeFields,
): VolumeFiles | { error: string } {
  const files: VolumeFiles = {};
  for (const item of items) {
    const value = item.fieldRef && fieldPathValue(pod, item.fieldRef.fieldPath, runtime);
    if (value === undefined) return { error: `downwardAPI ${item.path}: unsupported field` };
    files[item.path] = { content: Buffer.from(value) };
  }
  return files;
}

/** What one pod volume holds, from the local store (pure: the disk side is pod-volumes.ts). */
export function volumeSource(
  pod: Pod,
  volume: VolumeSpec,
  objects: ObjectSource,
  runtime: PodRuntimeFields,
): VolumeResult {
  const ns = pod.metadata.namespace;
  const wrap = (files: VolumeFiles | { error: string }): VolumeResult =>
    "error" in files
      ? { error: `volume ${volume.name}: ${String(files.error)}` }
      : { source: { type: "files", files: files as VolumeFiles } };
  if (volume.configMap) {
    const ref = volume.configMap;
    return wrap(objectFiles(objects.configMap(ns, ref.name), `configmap "${ref.name}"`, ref));
  }
  if (volume.secret) {
    const ref = volume.secret;
    const what = `secret "${ref.secretName}"`;
    return wrap(objectFiles(objects.secret(ns, ref.secretName), what, ref, SECRET_MODE));
  }
  if (volume.projected)
    return wrap(projectedFiles(pod, volume.projected.sources, objects, runtime));
  if (volume.emptyDir) return { source: { type: "emptyDir" } };
  if (volume.hostPath) {
    const create = volume.hostPath.type === "DirectoryOrCreate";
    return { source: { type: "hostPath", path: volume.hostPath.path, create } };
  }
  const type = Object.keys(volume).find(k => k !== "name") ?? "(none)";
  return { error: `volume ${volume.name}: unsupported volume type ${type}` };
}
