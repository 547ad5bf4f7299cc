/**
 * Projects the node's `device-profile-config-<node>` ConfigMap into a file, the way a kubelet
 * projects a ConfigMap volume into a mapper pod. The demo runs the mapper as a host process (no
 * container runtime here), so this stands in for the volume, using the node's own identity.
 */
import { renameSync, writeFileSync } from "node:fs";
import { PROFILE_CONFIGMAP_KEY, profileConfigMapName, emptyProfile } from "@kubeedge-ts/contract";
import { kubeRequest } from "../../local/kube/kube-request.js";

interface ConfigMap {
  data?: Record<string, string>;
}

export interface ProfileProjection {
  stop(): void;
}

export function projectProfile(
  nodeKubeconfig: string,
  node: string,
  namespace: string,
  file: string,
  onChange: (json: string) => void = () => undefined,
): ProfileProjection {
  let last = "";
  const write = (json: string): void => {
    if (json === last) return;
    last = json;
    // Write-then-rename, so a reader never sees half a file (a kubelet swaps a symlink).
    writeFileSync(`${file}.tmp`, json);
    renameSync(`${file}.tmp`, file);
    onChange(json);
  };
  write(JSON.stringify(emptyProfile()));
  const path = `/api/v1/namespaces/${namespace}/configmaps/${profileConfigMapName(node)}`;
  const poll = async (): Promise<void> => {
    const res = await kubeRequest<ConfigMap>(nodeKubeconfig, "GET", path).catch(() => undefined);
    const json = res?.status === 200 ? res.body.data?.[PROFILE_CONFIGMAP_KEY] : undefined;
    if (json) write(json);
  };
  void poll();
  const timer = setInterval(() => void poll(), 1000);
  return { stop: () => clearInterval(timer) };
}
