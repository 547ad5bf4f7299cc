/**
 * The bootstrapsigner's detached JWS over cluster-info's kubeconfig: `<header>..<signature>`,
 * HS256 keyed with the token secret, `kid` = token id. A valid signature proves the cluster
 * knows our token secret, so the cluster-info we read (CA and server) is theirs.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

const b64url = (b: Buffer | string): string => Buffer.from(b).toString("base64url");

export type JwsVerdict = "valid" | "bad-signature" | "malformed";

export function verifyDetachedJws(
  detached: string,
  content: string,
  tokenId: string,
  tokenSecret: string,
): JwsVerdict {
  const parts = detached.split(".");
  if (parts.length !== 3 || parts[1] !== "") return "malformed";
  const [header, , signature] = parts;
  let parsed: { alg?: string; kid?: string };
  try {
    parsed = JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as typeof parsed;
  } catch {
    return "malformed";
  }
  if (parsed.alg !== "HS256" || parsed.kid !== tokenId) return "malformed";
  const expected = createHmac("sha256", tokenSecret)
    .update(`${header}.${b64url(content)}`)
    .digest();
  const given = Buffer.from(signature, "base64url");
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? "valid"
    : "bad-signature";
}

/** Signs like the bootstrapsigner does (tests, and a check of our reading of the format). */
export function signDetachedJws(content: string, tokenId: string, tokenSecret: string): string {
  const header = b64url(JSON.stringify({ alg: "HS256", kid: tokenId }));
  const sig = createHmac("sha256", tokenSecret)
    .update(`${header}.${b64url(content)}`)
    .digest();
  return `${header}..${b64url(sig)}`;
}
