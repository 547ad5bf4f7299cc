/**
 * Where edged reads the ConfigMaps and Secrets a pod refers to: the agent's local store, so
 * env and volumes resolve while the cloud is away. Values come back decoded (text).
 */
import { NODE_PROFILE_CONFIGMAP, profileConfigMapName } from "@kubeedge-ts/contract";
import type { Pod } from "../pod.js";
import type { TokenProjection } from "../volumes/service-account-tokens.js";

export interface ObjectSource {
  configMap(namespace: string, name: string): ObjectData | undefined;
  secret(namespace: string, name: string): ObjectData | undefined;
  /**
   * The pod's current token for a projected serviceAccountToken (undefined = none yet).
   * Absent = no TokenRequest client: the token file is left out and the pod runs without one.
   */
  serviceAccountToken?(pod: Pod, projection: TokenProjection): string | undefined;
}

/** The ConfigMap a pod's reference names on this node: the node-relative profile name resolved. */
export function localConfigMapName(name: string, nodeName: string): string {
  return name === NODE_PROFILE_CONFIGMAP ? profileConfigMapName(nodeName) : name;
}

/** Key → content, plus the resourceVersion so volume writers skip unchanged objects. */
export interface ObjectData {
  data: Record<string, Buffer>;
  resourceVersion: string;
}

interface ConfigMapLike {
  metadata?: { resourceVersion?: string };
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
}

export function configMapData(cm: ConfigMapLike): ObjectData {
  const data: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(cm.data ?? {})) data[k] = Buffer.from(v, "utf8");
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) data[k] = Buffer.from(v, "base64");
  return { data, resourceVersion: cm.metadata?.resourceVersion ?? "" };
}

export function secretData(
  secret: ConfigMapLike & { stringData?: Record<string, string> },
): ObjectData {
  const data: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(secret.data ?? {})) data[k] = Buffer.from(v, "base64");
  for (const [k, v] of Object.entries(secret.stringData ?? {})) data[k] = Buffer.from(v, "utf8");
  return { data, resourceVersion: secret.metadata?.resourceVersion ?? "" };
}
