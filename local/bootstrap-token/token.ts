/**
 * Bootstrap tokens in kubeadm's format: a Secret `bootstrap-token-<id>` of type
 * `bootstrap.kubernetes.io/token` in kube-system. The apiserver authenticates `<id>.<secret>`
 * as `system:bootstrap:<id>` in the groups below; the bootstrapsigner signs cluster-info with
 * it; the tokencleaner deletes it once expired.
 */
import { randomInt } from "node:crypto";
import { BOOTSTRAP_TOKEN_GROUP } from "../control-plane/bootstrap-objects.js";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

export interface BootstrapToken {
  id: string;
  secret: string;
  /** Absent: the token never expires. */
  expires?: Date;
}

function randomString(length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

export function newBootstrapToken(ttlMs: number, now = new Date()): BootstrapToken {
  return {
    id: randomString(6),
    secret: randomString(16),
    expires: ttlMs > 0 ? new Date(now.getTime() + ttlMs) : undefined,
  };
}

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000 };

/** `24h`, `90m`, `1h30m`, `45s`; `0` = never expires (as `kubeadm token create --ttl 0`). */
export function parseTtl(text: string): number {
  if (text.trim() === "0") return 0;
  const parts = [...text.matchAll(/(\d+)([hms])/g)];
  if (parts.length === 0 || parts.map(p => p[0]).join("") !== text.trim()) {
    throw new Error(`--ttl '${text}' is not a duration like 24h, 30m, 1h30m or 0 (no expiry)`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]], 0);
}

export const tokenSecretName = (id: string): string => `bootstrap-token-${id}`;

export function tokenSecret(token: BootstrapToken, description: string): Record<string, unknown> {
  const data: Record<string, string> = {
    description,
    "token-id": token.id,
    "token-secret": token.secret,
    "usage-bootstrap-authentication": "true",
    "usage-bootstrap-signing": "true",
    "auth-extra-groups": BOOTSTRAP_TOKEN_GROUP,
  };
  if (token.expires) data.expiration = token.expires.toISOString().replace(/\.\d{3}Z$/, "Z");
  return {
    apiVersion: "v1",
    kind: "Secret",
    type: "bootstrap.kubernetes.io/token",
    metadata: {
      name: tokenSecretName(token.id),
      namespace: "kube-system",
      labels: { "app.kubernetes.io/managed-by": "kubeedge-ts" },
    },
    stringData: data,
  };
}

/** The line to run on the edge device (the user adds `--node-name`). */
export function joinCommand(server: string, token: BootstrapToken, caPin: string): string {
  return `kubeedge-edge join --server ${server} --token ${token.id}.${token.secret} --ca-hash ${caPin}`;
}
