/**
 * Kubernetes names, labels and annotations shared by the cloud module, the edge agent and the
 * mappers. Defined once here so no component retypes a string another one depends on.
 */

export const DEVICES_GROUP = "devices.kubeedge.io";
export const DEVICES_VERSION = "v1alpha2";
export const DEVICES_API_VERSION = `${DEVICES_GROUP}/${DEVICES_VERSION}`;
export const DEVICE_KIND = "Device";
export const DEVICE_MODEL_KIND = "DeviceModel";
export const DEVICE_PLURAL = "devices";
export const DEVICE_MODEL_PLURAL = "devicemodels";

/** Label on a Node that marks it as an edge node (KubeEdge sets the same one). */
export const EDGE_NODE_ROLE_LABEL = "node-role.kubernetes.io/edge";
/**
 * Label the edge agent puts on the Node it registers. NodeRestriction forbids a node to set
 * `node-role.kubernetes.io/*` on itself, so the agent sets this one (outside the kubernetes.io
 * namespace) and the cloud's nodes capability adds the edge role label in answer.
 */
export const EDGE_AGENT_LABEL = "node.kubeedge.io/edge-agent";
export const EDGE_AGENT_LABEL_VALUE = "kubeedge-ts";

/**
 * The admin's allow-list of edge nodes: a ConfigMap with one key per node name (the value is a
 * free-text note). Nodes cannot write ConfigMaps in kube-system, so the edge role the cloud
 * grants from it cannot be forged by a node (docs/security.md, "The edge role").
 */
export const EDGE_NODE_GRANTS_NAMESPACE = "kube-system";
export const EDGE_NODE_GRANTS_CONFIGMAP = "kubeedge-ts-edge-nodes";
/**
 * Extra group of the bootstrap tokens an admin creates for edge nodes (auth-extra-groups): the
 * admin's grant carried by `kubeedge-edge join`.
 */
export const EDGE_BOOTSTRAP_GROUP = "system:bootstrappers:kubeedge-ts";

/**
 * Common name of the client certificate the apiserver presents to kubelets (kubectl logs,
 * exec), as kubeadm names it; the local control plane issues it in group system:masters.
 * The edge agent's kubelet API accepts only this identity, signed by the cluster CA.
 */
export const APISERVER_KUBELET_CLIENT_CN = "kube-apiserver-kubelet-client";

/** Taint KubeEdge puts on edge nodes so only pods that tolerate it land there. */
export const EDGE_NODE_TAINT_KEY = "node-role.kubernetes.io/edge";

/** Labels the mutating webhook sets on a Device so the edge side can select its devices. */
export const DEVICE_NODE_LABEL = `${DEVICES_GROUP}/node`;
export const DEVICE_MODEL_LABEL = `${DEVICES_GROUP}/model`;
/** Label the mutating webhook sets to the device's protocol (modbus, bluetooth, opcua or a custom name); the CRD prints it. */
export const DEVICE_PROTOCOL_LABEL = `${DEVICES_GROUP}/protocol`;

/**
 * Opt-in annotation on a Namespace: the nodes (comma-separated names) its Devices may bind to.
 * Without it any node may be named. Enforced by rbac/namespace-nodes-policy.yaml.
 */
export const NAMESPACE_ALLOWED_NODES_ANNOTATION = `${DEVICES_GROUP}/allowed-nodes`;

/** Annotation on a Node listing (comma-separated) the namespaces that hold its devices. */
export const NODE_DEVICE_NAMESPACES_ANNOTATION = `${DEVICES_GROUP}/device-namespaces`;

/** Label on every object the device-profile reconciler owns, for purging orphans. */
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const MANAGED_BY_VALUE = "kubeedge-ts";
export const PROFILE_NODE_LABEL = `${DEVICES_GROUP}/profile-node`;

/** Node labels that mapper Deployments select on. */
export const MODBUS_NODE_LABEL = "modbus";
export const BLUETOOTH_NODE_LABEL = "bluetooth";

export const PROFILE_CONFIGMAP_PREFIX = "device-profile-config-";
export const PROFILE_CONFIGMAP_KEY = "deviceProfile.json";
/** Where mappers conventionally find the profile (the ConfigMap mounted as a volume). */
export const DEFAULT_PROFILE_PATH = "/opt/kubeedge/deviceProfile.json";

export function profileConfigMapName(nodeName: string): string {
  return `${PROFILE_CONFIGMAP_PREFIX}${nodeName}`;
}

/**
 * The ConfigMap name a pod uses for "the device profile of the node I run on": the edge agent
 * serves its own `device-profile-config-<node>` under it (volumes and env), so one mapper
 * Deployment selecting nodes by label works on every node it lands on. KubeEdge's samples
 * instead name the node, one Deployment per node; that still works too.
 */
export const NODE_PROFILE_CONFIGMAP = "device-profile-config";

/** The node-scoped Role/RoleBinding that lets a node read only its own profile ConfigMap. */
export function profileReaderRoleName(nodeName: string): string {
  return `kubeedge-ts-profile-reader-${nodeName}`;
}

/** Kubernetes identity of an edge node's client certificate. */
export function nodeUserName(nodeName: string): string {
  return `system:node:${nodeName}`;
}
export const NODES_GROUP = "system:nodes";

/** Lease namespace for node heartbeats. */
export const NODE_LEASE_NAMESPACE = "kube-node-lease";
