/**
 * The objects the profile reconciler owns, built as plain data: the profile ConfigMap, the
 * Role/RoleBinding that let exactly one node read it, and the Node's device-namespaces
 * annotation. All carry the managed-by and profile-node labels so orphans can be found by label.
 */
import {
  DEVICES_API_VERSION,
  DEVICE_PLURAL,
  DEVICE_MODEL_PLURAL,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  NODE_DEVICE_NAMESPACES_ANNOTATION,
  PROFILE_CONFIGMAP_KEY,
  PROFILE_NODE_LABEL,
  nodeUserName,
  profileConfigMapName,
  profileReaderRoleName,
} from "@kubeedge-ts/contract";

export const devicePaths = {
  devices: (ns: string): string => `/apis/${DEVICES_API_VERSION}/namespaces/${ns}/${DEVICE_PLURAL}`,
  device: (ns: string, name: string): string => `${devicePaths.devices(ns)}/${name}`,
  allDevices: (): string => `/apis/${DEVICES_API_VERSION}/${DEVICE_PLURAL}`,
  models: (ns: string): string =>
    `/apis/${DEVICES_API_VERSION}/namespaces/${ns}/${DEVICE_MODEL_PLURAL}`,
  allModels: (): string => `/apis/${DEVICES_API_VERSION}/${DEVICE_MODEL_PLURAL}`,
};

/** Selects everything this reconciler owns; add `,<PROFILE_NODE_LABEL>=<node>` for one node. */
export const MANAGED_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},${PROFILE_NODE_LABEL}`;

export function managedLabels(node: string): Record<string, string> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [PROFILE_NODE_LABEL]: node };
}

export interface ConfigMapLike {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
}

export function profileConfigMap(namespace: string, node: string, document: string): ConfigMapLike {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: profileConfigMapName(node), namespace, labels: managedLabels(node) },
    data: { [PROFILE_CONFIGMAP_KEY]: document },
  };
}

/** True when the stored ConfigMap already is what we would write (no write needed). */
export function configMapUpToDate(
  stored: ConfigMapLike | undefined,
  desired: ConfigMapLike,
): boolean {
  if (!stored) return false;
  const labels = desired.metadata?.labels ?? {};
  const labelsOk = Object.entries(labels).every(([k, v]) => stored.metadata?.labels?.[k] === v);
  const storedKeys = Object.keys(stored.data ?? {});
  return (
    labelsOk &&
    storedKeys.length === 1 &&
    stored.data?.[PROFILE_CONFIGMAP_KEY] === desired.data?.[PROFILE_CONFIGMAP_KEY]
  );
}

/**
 * get/list/watch on exactly this node's profile ConfigMap. List and watch with resourceNames
 * work when the client also sends fieldSelector metadata.name=<name>, which the edge agent does.
 */
export function readerRole(namespace: string, node: string): Record<string, unknown> {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: { name: profileReaderRoleName(node), namespace, labels: managedLabels(node) },
    rules: [
      {
        apiGroups: [""],
        resources: ["configmaps"],
        resourceNames: [profileConfigMapName(node)],
        verbs: ["get", "list", "watch"],
      },
    ],
  };
}

export function readerRoleBinding(namespace: string, node: string): Record<string, unknown> {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name: profileReaderRoleName(node), namespace, labels: managedLabels(node) },
    roleRef: {
      apiGroup: "rbac.authorization.k8s.io",
      kind: "Role",
      name: profileReaderRoleName(node),
    },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: nodeUserName(node) }],
  };
}

/**
 * JSON merge patch for the Node annotation; null removes it. A merge patch (not an apply) so a
 * Node that does not exist yet is never created by us: the patch fails with 404 instead.
 */
export function nodeAnnotationPatch(namespaces: string[]): object {
  const sorted = [...new Set(namespaces)].sort();
  return {
    metadata: {
      annotations: {
        [NODE_DEVICE_NAMESPACES_ANNOTATION]: sorted.length > 0 ? sorted.join(",") : null,
      },
    },
  };
}

export function nodeAnnotationValue(node: {
  metadata?: { annotations?: Record<string, string> };
}): string | undefined {
  return node.metadata?.annotations?.[NODE_DEVICE_NAMESPACES_ANNOTATION];
}

export function nodeOfManaged(obj: {
  metadata?: { labels?: Record<string, string> };
}): string | undefined {
  return obj.metadata?.labels?.[PROFILE_NODE_LABEL];
}
