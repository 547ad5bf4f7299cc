/**
 * A kubeconfig that authenticates as the module's ServiceAccount: a token from the TokenRequest
 * API (what the kubelet mounts into the module's pods), with the cluster's server and CA taken
 * from the admin kubeconfig. The local module runs with it, so it has exactly the permissions
 * the in-cluster module would have — never the admin's.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import type { Kube } from "../kube/kube.js";

interface TokenRequest {
  status?: { token?: string };
}

interface KubeconfigClusters {
  clusters: { name: string; cluster: Record<string, unknown> }[];
}

/** A day: `cloud up` runs a developer's session; tests run minutes. */
const DEFAULT_EXPIRATION_S = 24 * 3600;

export async function serviceAccountToken(
  kube: Kube,
  account: { name: string; namespace: string },
  expirationSeconds = DEFAULT_EXPIRATION_S,
): Promise<string> {
  const path = `/api/v1/namespaces/${account.namespace}/serviceaccounts/${account.name}/token`;
  const res = await kube.client.create<TokenRequest>(path, {
    apiVersion: "authentication.k8s.io/v1",
    kind: "TokenRequest",
    spec: { expirationSeconds },
  });
  const token = res.status?.token;
  if (!token)
    throw new Error(`the TokenRequest for ${account.namespace}/${account.name} gave no token`);
  return token;
}

/** Writes `file` (mode 0600): the admin kubeconfig's cluster with the account's token. */
export async function writeServiceAccountKubeconfig(
  kube: Kube,
  adminKubeconfig: string,
  account: { name: string; namespace: string },
  file: string,
): Promise<string> {
  const admin = parse(readFileSync(adminKubeconfig, "utf8")) as KubeconfigClusters;
  const cluster = admin.clusters[0];
  if (!cluster) throw new Error(`${adminKubeconfig} names no cluster`);
  const user = `system:serviceaccount:${account.namespace}:${account.name}`;
  const token = await serviceAccountToken(kube, account);
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [cluster],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: user, context: { cluster: cluster.name, user } }],
    "current-context": user,
  };
  writeFileSync(file, stringify(config), { mode: 0o600 });
  return file;
}
