/**
 * The bootstrap token `init` prints: one per cluster, labelled, reused while it is valid so a
 * second `init` changes nothing and prints the same join line.
 */
import { caPublicKeyPin } from "@kubeedge-ts/contract";
import { createBootstrapToken, readClusterInfo } from "../bootstrap-token/create.js";
import { joinCommand } from "../bootstrap-token/token.js";
import type { Kube } from "../kube/kube.js";

export const INIT_TOKEN_LABEL = "kubeedge-ts.io/init-token";
const SECRETS = "/api/v1/namespaces/kube-system/secrets";

interface TokenSecret {
  metadata: { name: string };
  data?: Record<string, string>;
}

const text = (b64?: string): string => Buffer.from(b64 ?? "", "base64").toString("utf8");

export async function initToken(kube: Kube, ttlMs: number, server?: string): Promise<string> {
  const existing = await kube.client.list<TokenSecret>(SECRETS, `${INIT_TOKEN_LABEL}=true`);
  const now = Date.now();
  for (const s of existing) {
    const expiration = text(s.data?.expiration);
    if (expiration && Date.parse(expiration) - now < 60_000) continue;
    const info = await readClusterInfo(kube);
    const token = { id: text(s.data?.["token-id"]), secret: text(s.data?.["token-secret"]) };
    return joinCommand(server ?? info.server, token, caPublicKeyPin(info.caPem));
  }
  const created = await createBootstrapToken(kube, ttlMs, server, { [INIT_TOKEN_LABEL]: "true" });
  return created.joinLine;
}
