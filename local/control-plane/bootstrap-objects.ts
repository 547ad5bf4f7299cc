/**
 * What TLS bootstrap needs in the cluster, set up the way `kubeadm init` does it: the
 * `cluster-info` ConfigMap in kube-public (a kubeconfig with only the CA and the server URL,
 * readable anonymously, signed per token by the controller-manager's bootstrapsigner), and
 * RBAC that lets a bootstrap token ask for a node client certificate which the csrapproving
 * controller then approves on its own; nodes may renew their own certificate.
 */
import { EDGE_BOOTSTRAP_GROUP } from "@kubeedge-ts/contract";
import { stringify } from "yaml";

/** The group every token from `kubeedge-ts token create` adds (auth-extra-groups). */
export const BOOTSTRAP_TOKEN_GROUP = EDGE_BOOTSTRAP_GROUP;

export interface PathedObject {
  /** The object's own URL path (server-side apply target). */
  path: string;
  object: Record<string, unknown>;
}

const LABELS = { "app.kubernetes.io/managed-by": "kubeedge-ts-cluster" };
const RBAC = "/apis/rbac.authorization.k8s.io/v1";

/** The kubeconfig published in cluster-info: who the cluster is, no credentials. */
export function clusterInfoKubeconfig(server: string, caPem: string): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: "",
        cluster: {
          server,
          "certificate-authority-data": Buffer.from(caPem).toString("base64"),
        },
      },
    ],
    contexts: [],
    "current-context": "",
    preferences: {},
    users: [],
  });
}

function clusterRoleBinding(name: string, role: string, group: string): PathedObject {
  return {
    path: `${RBAC}/clusterrolebindings/${name}`,
    object: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name, labels: LABELS },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: group }],
    },
  };
}

export function bootstrapObjects(server: string, caPem: string): PathedObject[] {
  const role = "kubeedge-ts:bootstrap-signer-clusterinfo";
  return [
    {
      path: "/api/v1/namespaces/kube-public/configmaps/cluster-info",
      object: {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "cluster-info", namespace: "kube-public", labels: LABELS },
        data: { kubeconfig: clusterInfoKubeconfig(server, caPem) },
      },
    },
    {
      path: `${RBAC}/namespaces/kube-public/roles/${role}`,
      object: {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "Role",
        metadata: { name: role, namespace: "kube-public", labels: LABELS },
        rules: [
          {
            apiGroups: [""],
            resources: ["configmaps"],
            resourceNames: ["cluster-info"],
            verbs: ["get"],
          },
        ],
      },
    },
    {
      path: `${RBAC}/namespaces/kube-public/rolebindings/${role}`,
      object: {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: { name: role, namespace: "kube-public", labels: LABELS },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role },
        subjects: [
          { apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "system:anonymous" },
        ],
      },
    },
    // `join` checks that no Node of the requested name exists before it asks for a certificate.
    {
      path: `${RBAC}/clusterroles/kubeedge-ts:get-nodes`,
      object: {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRole",
        metadata: { name: "kubeedge-ts:get-nodes", labels: LABELS },
        rules: [{ apiGroups: [""], resources: ["nodes"], verbs: ["get"] }],
      },
    },
    clusterRoleBinding("kubeedge-ts:get-nodes", "kubeedge-ts:get-nodes", BOOTSTRAP_TOKEN_GROUP),
    clusterRoleBinding(
      "kubeedge-ts:node-bootstrapper",
      "system:node-bootstrapper",
      BOOTSTRAP_TOKEN_GROUP,
    ),
    clusterRoleBinding(
      "kubeedge-ts:node-autoapprove-bootstrap",
      "system:certificates.k8s.io:certificatesigningrequests:nodeclient",
      BOOTSTRAP_TOKEN_GROUP,
    ),
    // `kubeedge-edge reset` deletes its own Node; NodeRestriction refuses any other node's.
    {
      path: `${RBAC}/clusterroles/kubeedge-ts:node-self-delete`,
      object: {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRole",
        metadata: { name: "kubeedge-ts:node-self-delete", labels: LABELS },
        rules: [{ apiGroups: [""], resources: ["nodes"], verbs: ["delete"] }],
      },
    },
    clusterRoleBinding(
      "kubeedge-ts:node-self-delete",
      "kubeedge-ts:node-self-delete",
      "system:nodes",
    ),
    clusterRoleBinding(
      "kubeedge-ts:node-autoapprove-certificate-rotation",
      "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
      "system:nodes",
    ),
  ];
}
