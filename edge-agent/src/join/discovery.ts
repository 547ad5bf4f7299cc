/**
 * kubeadm's token discovery: read cluster-info without trusting the server, check the CA
 * against the pin and the bootstrapsigner's signature against the token, and only then trust
 * the CA — and check that the server really holds a certificate that CA signed.
 */
import {
  BOOTSTRAP_TOKEN_PATTERN,
  caPublicKeyPin,
  CLUSTER_INFO_PATH,
  clusterInfoSignatureKey,
} from "@kubeedge-ts/contract";
import { parse } from "yaml";
import { httpsJson } from "./http.js";
import { verifyDetachedJws } from "./jws.js";

/** A join refused before anything was written or created; the message names the problem. */
export class JoinRefused extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "JoinRefused";
  }
}

export interface Token {
  id: string;
  secret: string;
}

export function parseToken(text: string): Token {
  const m = BOOTSTRAP_TOKEN_PATTERN.exec(text);
  if (!m) {
    throw new JoinRefused(
      "--token is not a bootstrap token: expected <id>.<secret>, 6 and 16 characters of [a-z0-9]",
    );
  }
  return { id: m[1], secret: m[2] };
}

export function parsePin(text: string): string {
  const pin = text.toLowerCase();
  if (!/^sha256:[0-9a-f]{64}$/.test(pin)) {
    throw new JoinRefused("--ca-hash is not a pin: expected sha256:<64 hex digits>");
  }
  return pin;
}

interface ClusterInfoMap {
  data?: Record<string, string>;
}

interface ClusterInfoKubeconfig {
  clusters?: { cluster?: { server?: string; "certificate-authority-data"?: string } }[];
}

export interface Discovered {
  caPem: string;
  /** The server URL the user gave, now proven to present a certificate of the pinned CA. */
  server: string;
}

async function readClusterInfo(server: string, ca?: string): Promise<ClusterInfoMap> {
  const url = `${server}${CLUSTER_INFO_PATH}`;
  let res;
  try {
    res = await httpsJson<ClusterInfoMap>(url, ca ? { ca } : { insecure: true });
  } catch (err) {
    if (ca) {
      throw new JoinRefused(
        `${server} does not present a TLS certificate signed by the pinned CA: it is not the ` +
          `cluster the --ca-hash names (${(err as Error).message})`,
        { cause: err },
      );
    }
    throw new JoinRefused(`cannot reach ${server}: ${(err as Error).message}`, { cause: err });
  }
  if (res.status !== 200) {
    throw new JoinRefused(
      `${server} serves no readable cluster-info (HTTP ${res.status}): not a cluster set up ` +
        "for TLS bootstrap",
    );
  }
  return res.body;
}

function caOf(kubeconfig: string, server: string): string {
  const cluster = (parse(kubeconfig) as ClusterInfoKubeconfig | null)?.clusters?.[0]?.cluster;
  const data = cluster?.["certificate-authority-data"];
  if (!data) throw new JoinRefused(`cluster-info of ${server} carries no CA`);
  return Buffer.from(data, "base64").toString("utf8");
}

export interface DiscoveryOptions {
  server: string;
  token: Token;
  pin: string;
  /** How long to wait for the bootstrapsigner to sign cluster-info for a fresh token. */
  timeoutMs: number;
}

export async function discover(opts: DiscoveryOptions): Promise<Discovered> {
  const server = opts.server.replace(/\/+$/, "");
  if (!server.startsWith("https://")) throw new JoinRefused(`--server ${server} is not https://`);
  const deadline = Date.now() + opts.timeoutMs;
  const key = clusterInfoSignatureKey(opts.token.id);
  for (;;) {
    const info = await readClusterInfo(server);
    const kubeconfig = info.data?.kubeconfig ?? "";
    const caPem = caOf(kubeconfig, server);
    const actual = caPublicKeyPin(caPem);
    if (actual !== opts.pin) {
      throw new JoinRefused(
        `CA hash mismatch: the cluster at ${server} has CA ${actual}, but --ca-hash is ` +
          `${opts.pin} (a wrong --ca-hash, or a server that is not the cluster the hash names)`,
      );
    }
    const signature = info.data?.[key];
    if (signature !== undefined) {
      const verdict = verifyDetachedJws(signature, kubeconfig, opts.token.id, opts.token.secret);
      if (verdict !== "valid") {
        throw new JoinRefused(
          `wrong token: the cluster's signature of cluster-info for token id ${opts.token.id} ` +
            "does not match the token secret",
        );
      }
      const again = await readClusterInfo(server, caPem);
      if (again.data?.kubeconfig !== kubeconfig) {
        throw new JoinRefused(`cluster-info of ${server} changed while joining; try again`);
      }
      return { caPem, server };
    }
    if (Date.now() > deadline) {
      throw new JoinRefused(
        `token ${opts.token.id} is unknown to the cluster or has expired: cluster-info carries ` +
          `no signature for it (waited ${Math.round(opts.timeoutMs / 1000)}s)`,
      );
    }
    await new Promise(r => setTimeout(r, 500));
  }
}
