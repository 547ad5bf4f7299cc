import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse, stringify } from "yaml";
import type { EdgeHubConfig } from "../config/types.js";

/** What EdgeHub needs to reach the apiserver as this node. */
export interface Credentials {
  server: string;
  ca?: Buffer;
  cert: Buffer;
  key: Buffer;
}

interface Named<T> {
  name: string;
  [k: string]: unknown;
  cluster?: T;
  user?: T;
  context?: T;
}

type Fields = Record<string, string | undefined>;

interface KubeconfigFile {
  "current-context"?: string;
  clusters?: Named<Fields>[];
  users?: Named<Fields>[];
  contexts?: Named<{ cluster: string; user: string }>[];
}

export interface CredentialOverrides {
  server?: string;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

/**
 * Reads server, CA and client certificate/key from a kubeconfig (current context, or the first
 * entries), accepting inline `*-data` and file paths (relative to the kubeconfig). Only x509
 * client certificates are supported: that is how a node proves `system:node:<name>`.
 */
export function readCredentials(file: string, overrides: CredentialOverrides = {}): Credentials {
  const { base, cluster, user } = currentEntries(file);
  const server = overrides.server || cluster.server;
  if (!server) throw new Error(`kubeconfig ${file}: no cluster server`);
  const ca = material(
    base,
    overrides.caFile,
    cluster["certificate-authority-data"],
    cluster["certificate-authority"],
  );
  const cert = material(
    base,
    overrides.certFile,
    user["client-certificate-data"],
    user["client-certificate"],
  );
  const key = material(base, overrides.keyFile, user["client-key-data"], user["client-key"]);
  if (!cert || !key) {
    throw new Error(`kubeconfig ${file}: the node needs a client certificate and key`);
  }
  return { server: server.replace(/\/+$/, ""), ca, cert, key };
}

/** The current context's cluster and user entries, and the directory relative paths start at. */
function currentEntries(file: string): { base: string; cluster: Fields; user: Fields } {
  let cfg: KubeconfigFile;
  try {
    cfg = parse(readFileSync(file, "utf8")) as KubeconfigFile;
  } catch (error) {
    throw new Error(`cannot read kubeconfig ${file}`, { cause: error });
  }
  const ctx = cfg.contexts?.find(c => c.name === cfg["current-context"])?.context;
  return {
    base: dirname(file),
    cluster: pick(cfg.clusters, ctx?.cluster)?.cluster ?? {},
    user: pick(cfg.users, ctx?.user)?.user ?? {},
  };
}

function pick<T>(list: Named<T>[] | undefined, name: string | undefined): Named<T> | undefined {
  if (!list || list.length === 0) return undefined;
  return list.find(e => e.name === name) ?? list[0];
}

function material(
  base: string,
  overrideFile: string | undefined,
  data: string | undefined,
  path: string | undefined,
): Buffer | undefined {
  if (overrideFile) return readFileSync(overrideFile);
  if (data) return Buffer.from(data, "base64");
  if (path) return readFileSync(resolve(base, path));
  return undefined;
}

/** The node kubeconfig `join` writes and rotation rewrites: one file with CA, cert and key. */
export function renderNodeKubeconfig(creds: {
  server: string;
  caPem: string;
  certPem: string;
  keyPem: string;
  nodeName: string;
}): string {
  const b64 = (pem: string): string => Buffer.from(pem).toString("base64");
  const user = `system:node:${creds.nodeName}`;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: "kubeedge-ts",
        cluster: { server: creds.server, "certificate-authority-data": b64(creds.caPem) },
      },
    ],
    users: [
      {
        name: user,
        user: {
          "client-certificate-data": b64(creds.certPem),
          "client-key-data": b64(creds.keyPem),
        },
      },
    ],
    contexts: [{ name: user, context: { cluster: "kubeedge-ts", user } }],
    "current-context": user,
  });
}

/** The node identity EdgeHub talks to the apiserver with: its kubeconfig and file overrides. */
export function hubCredentials(hub: EdgeHubConfig): Credentials {
  return readCredentials(hub.kubeconfig, {
    server: hub.server,
    caFile: hub.tlsCaFile,
    certFile: hub.tlsCertFile,
    keyFile: hub.tlsPrivateKeyFile,
  });
}

/**
 * The files EdgeHub's credentials are read from: the kubeconfig, the file overrides and the
 * certificate/key/CA paths the kubeconfig names (absolute).
 */
export function credentialFiles(hub: EdgeHubConfig): string[] {
  const files = [hub.kubeconfig, hub.tlsCaFile, hub.tlsCertFile, hub.tlsPrivateKeyFile];
  try {
    const { base, cluster, user } = currentEntries(hub.kubeconfig);
    for (const path of [
      cluster["certificate-authority"],
      user["client-certificate"],
      user["client-key"],
    ]) {
      if (path) files.push(resolve(base, path));
    }
  } catch {
    // Unreadable right now (being replaced): the kubeconfig itself is still in the list.
  }
  return [...new Set(files.filter((f): f is string => Boolean(f)).map(f => resolve(f)))];
}
