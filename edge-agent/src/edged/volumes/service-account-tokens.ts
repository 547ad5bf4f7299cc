import { readFileSync } from "node:fs";
import type { Logger } from "pino";
import { podKey, type Pod } from "../pod.js";

/** A projected serviceAccountToken source (core/v1 ServiceAccountTokenProjection). */
export interface TokenProjection {
  path: string;
  audience?: string;
  expirationSeconds?: number;
}

/** authentication.k8s.io/v1 TokenRequest status: what the apiserver issued. */
export interface IssuedToken {
  token: string;
  expirationTimestamp: string;
}

/** Calls the TokenRequest API (POST serviceaccounts/<name>/token) as the node. */
export type TokenRequester = (
  namespace: string,
  serviceAccount: string,
  body: object,
) => Promise<IssuedToken>;

interface Cached {
  token: string;
  issuedMs: number;
  expiresMs: number;
}

/** kubelet's default and minimum projected token lifetimes. */
const DEFAULT_EXPIRATION_S = 3607;
const MIN_EXPIRATION_S = 600;
/** Failed requests (apiserver away) are retried at most this often per token. */
const RETRY_MS = 10_000;
const DAY_MS = 24 * 3600_000;

export const tokenKey = (pod: Pod, p: TokenProjection): string =>
  `${pod.metadata.uid}/${p.audience ?? ""}/${p.expirationSeconds ?? DEFAULT_EXPIRATION_S}`;

/** kubelet's refresh rule: past 80 % of the token's lifetime, or a day old. */
export function needsRefresh(c: Cached, nowMs: number): boolean {
  return nowMs >= c.issuedMs + 0.8 * (c.expiresMs - c.issuedMs) || nowMs >= c.issuedMs + DAY_MS;
}

/**
 * Projected service account tokens of the node's pods (kubelet's token manager): requested
 * through the TokenRequest API bound to the pod (the Node authorizer allows a node this for
 * pods bound to it), refreshed before expiry, and kept when the apiserver is away — from
 * memory, or after an agent restart from the file the pod already has.
 */
export class ServiceAccountTokens {
  private readonly cache = new Map<string, Cached>();
  private readonly failedAt = new Map<string, number>();

  constructor(
    private readonly request: TokenRequester,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** The pod's token projections, each with the volume it belongs to. */
  static projections(pod: Pod): { volume: string; projection: TokenProjection }[] {
    return (pod.spec.volumes ?? []).flatMap(v =>
      (v.projected?.sources ?? []).flatMap(s =>
        s.serviceAccountToken ? [{ volume: v.name, projection: s.serviceAccountToken }] : [],
      ),
    );
  }

  /**
   * Gets or refreshes the pod's tokens. `existingFile(volume, path)` is where the pod's last
   * token is on disk (used when there is none in memory and the apiserver cannot be reached).
   */
  async prepare(pod: Pod, existingFile: (volume: string, path: string) => string): Promise<void> {
    for (const { volume, projection } of ServiceAccountTokens.projections(pod)) {
      const key = tokenKey(pod, projection);
      const cached = this.cache.get(key);
      const now = this.now();
      if (cached && !needsRefresh(cached, now)) continue;
      if (now < (this.failedAt.get(key) ?? -Infinity) + RETRY_MS) continue;
      try {
        this.cache.set(key, await this.issue(pod, projection));
        this.failedAt.delete(key);
      } catch (err) {
        this.failedAt.set(key, now);
        this.log.warn({ pod: podKey(pod), err }, "service account token request failed");
        if (!cached) this.restore(key, existingFile(volume, projection.path));
      }
    }
  }

  /** The token to write for this projection; undefined = none yet (the pod waits). */
  token(pod: Pod, projection: TokenProjection): string | undefined {
    return this.cache.get(tokenKey(pod, projection))?.token;
  }

  forget(uid: string): void {
    for (const key of this.cache.keys()) if (key.startsWith(`${uid}/`)) this.cache.delete(key);
    for (const key of this.failedAt.keys())
      if (key.startsWith(`${uid}/`)) this.failedAt.delete(key);
  }

  private async issue(pod: Pod, p: TokenProjection): Promise<Cached> {
    const issuedMs = this.now();
    const { name, uid, namespace } = pod.metadata;
    const body = {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenRequest",
      spec: {
        audiences: p.audience ? [p.audience] : [],
        expirationSeconds: Math.max(p.expirationSeconds ?? DEFAULT_EXPIRATION_S, MIN_EXPIRATION_S),
        boundObjectRef: { apiVersion: "v1", kind: "Pod", name, uid },
      },
    };
    const sa = pod.spec.serviceAccountName || "default";
    const issued = await this.request(namespace, sa, body);
    const expiresMs = Date.parse(issued.expirationTimestamp);
    return {
      token: issued.token,
      issuedMs,
      expiresMs: Number.isNaN(expiresMs) ? issuedMs : expiresMs,
    };
  }

  /** The token the pod already has (written before an agent restart): kept, refreshed later. */
  private restore(key: string, file: string): void {
    try {
      const token = readFileSync(file, "utf8");
      if (token === "") return;
      const now = this.now();
      this.cache.set(key, { token, issuedMs: now, expiresMs: now });
    } catch {
      // no earlier token: the pod waits for the apiserver
    }
  }
}
