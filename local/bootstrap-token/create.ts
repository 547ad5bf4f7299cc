/** `token create`: a fresh bootstrap token in the cluster, and the join line that uses it. */
import { caPublicKeyPin, CLUSTER_INFO_PATH } from "@kubeedge-ts/contract";
import { parse } from "yaml";
import { isNotFound } from "../../capabilities/profiles/kube-client.js";
import type { Kube } from "../kube/kube.js";
import { joinCommand, newBootstrapToken, tokenSecret, type BootstrapToken } from "./token.js";

export interface ClusterInfo {
  server: string;
  caPem: string;
}

interface KubeconfigClusters {
  clusters?: { cluster?: { server?: string; "certificate-authority-data"?: string } }[];
}

/** The server URL and CA that cluster-info publishes (what `join` will check the pin against). */
export async function readClusterInfo(kube: Kube): Promise<ClusterInfo> {
  let cm: { data?: { kubeconfig?: string } };
  try {
    cm = await kube.client.get(CLUSTER_INFO_PATH);
  } catch (err) {
    if (isNotFound(err)) {
      throw new Error(
        "the cluster has no cluster-info ConfigMap in kube-public: it is not set up for TLS " +
          "bootstrap (kubeedge-ts cluster up and kubeadm create it)",
      );
    }
    throw err;
  }
  const cluster = (parse(cm.data?.kubeconfig ?? "") as KubeconfigClusters | null)?.clusters?.[0]
    ?.cluster;
  if (!cluster?.server || !cluster["certificate-authority-data"]) {
    throw new Error("cluster-info's kubeconfig names no server or CA");
  }
  return {
    server: cluster.server,
    caPem: Buffer.from(cluster["certificate-authority-data"], "base64").toString("utf8"),
  };
}

export interface CreatedToken {
  token: BootstrapToken;
  joinLine: string;
}

export async function createBootstrapToken(
  kube: Kube,
  ttlMs: number,
  serverOverride?: string,
  labels: Record<string, string> = {},
): Promise<CreatedToken> {
  const info = await readClusterInfo(kube);
  const token = newBootstrapToken(ttlMs);
  const secret = tokenSecret(token, "kubeedge-ts join token (kubeedge-ts token create)");
  const metadata = secret.metadata as { labels: Record<string, string> };
  Object.assign(metadata.labels, labels);
  await kube.client.create("/api/v1/namespaces/kube-system/secrets", secret);
  const server = serverOverride ?? info.server;
  return { token, joinLine: joinCommand(server, token, caPublicKeyPin(info.caPem)) };
}
