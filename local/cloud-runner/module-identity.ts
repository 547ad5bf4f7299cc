/**
 * A kubeconfig that authenticates as the module's ServiceAccount: a token from the TokenRequest
 * API (what the kubelet mounts into the module's pods), with the cluster's server and CA taken
 * from the admin kubeconfig. The local module runs with it, so it has exactly the permissions
 * the in-cluster module would have — never the admin's.
 *
 * As in a pod, the token lives in its own file that the client re-reads (client-node's
 * `tokenFile` auth provider, once a minute), and a fresh token replaces it at 80 % of its
 * lifetime: a `cloud up` session outlives any one token.
 */
import { renameSync, readFileSync, writeFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import { join } from "node:path";
import { objectPath, type Kube } from "../kube/kube.js";
import { PEPR_NAMESPACE } from "./pepr-system.js";
import { noteInModuleLog } from "./module-process.js";

interface TokenRequest {
  status?: { token?: string };
}

interface KubeconfigClusters {
  clusters: { name: string; cluster: Record<string, unknown> }[];
}

export interface ServiceAccount {
  name: string;
  namespace: string;
}

/** A day per token; renewed long before it ends. */
const DEFAULT_EXPIRATION_S = 24 * 3600;
const RENEW_AT = 0.8;
/** After a failed renewal (apiserver away), the next try. */
const RETRY_MS = 60_000;

export async function serviceAccountToken(
  kube: Kube,
  account: ServiceAccount,
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

/** Replaces the file in one step: the client never reads half a token. */
function writeAtomically(file: string, content: string): void {
  writeFileSync(`${file}.tmp`, content, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

export interface ServiceAccountKubeconfig {
  file: string;
  tokenFile: string;
  /** Stops the renewals. */
  stop(): void;
}

export interface IdentityOptions {
  expirationSeconds?: number;
  /** Told when a renewal fails (it is retried a minute later). */
  onRenewalError?(err: unknown): void;
}

/**
 * Writes `file` (mode 0600): the admin kubeconfig's cluster with a user whose token is read
 * from `<file>.token`, and keeps that token fresh until stop().
 */
export async function writeServiceAccountKubeconfig(
  kube: Kube,
  adminKubeconfig: string,
  account: ServiceAccount,
  file: string,
  opts: IdentityOptions = {},
): Promise<ServiceAccountKubeconfig> {
  const admin = parse(readFileSync(adminKubeconfig, "utf8")) as KubeconfigClusters;
  const cluster = admin.clusters[0];
  if (!cluster) throw new Error(`${adminKubeconfig} names no cluster`);
  const expirationSeconds = opts.expirationSeconds ?? DEFAULT_EXPIRATION_S;
  const tokenFile = `${file}.token`;
  writeAtomically(tokenFile, await serviceAccountToken(kube, account, expirationSeconds));
  const user = `system:serviceaccount:${account.namespace}:${account.name}`;
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [cluster],
    users: [
      { name: user, user: { "auth-provider": { name: "tokenFile", config: { tokenFile } } } },
    ],
    contexts: [{ name: user, context: { cluster: cluster.name, user } }],
    "current-context": user,
  };
  writeFileSync(file, stringify(config), { mode: 0o600 });

  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = (ms: number): void => {
    if (stopped) return;
    timer = setTimeout(() => void renew(), ms);
    timer.unref();
  };
  const renew = async (): Promise<void> => {
    try {
      const token = await serviceAccountToken(kube, account, expirationSeconds);
      if (stopped) return;
      writeAtomically(tokenFile, token);
      schedule(expirationSeconds * 1000 * RENEW_AT);
    } catch (err) {
      opts.onRenewalError?.(err);
      schedule(RETRY_MS);
    }
  };
  schedule(expirationSeconds * 1000 * RENEW_AT);
  return {
    file,
    tokenFile,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** The module's ServiceAccount identity as a kubeconfig in the state dir. */
export async function moduleServiceAccountKubeconfig(
  kube: Kube,
  adminKubeconfig: string,
  name: string,
  stateDir: string,
  logFile: string | undefined,
): Promise<ServiceAccountKubeconfig> {
  const account = { name, namespace: PEPR_NAMESPACE };
  try {
    await kube.client.get(
      objectPath({ apiVersion: "v1", kind: "ServiceAccount", metadata: account }),
    );
  } catch (err) {
    throw new Error(
      `the module's ServiceAccount ${PEPR_NAMESPACE}/${name} is missing: run kubeedge-ts init first`,
      { cause: err },
    );
  }
  return writeServiceAccountKubeconfig(
    kube,
    adminKubeconfig,
    account,
    join(stateDir, "module.kubeconfig"),
    {
      onRenewalError: err =>
        noteInModuleLog(logFile, { err: String(err), msg: "service account token not renewed" }),
    },
  );
}
