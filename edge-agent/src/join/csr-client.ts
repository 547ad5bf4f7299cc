/**
 * Asks the cluster for a node client certificate: a CertificateSigningRequest for
 * `system:node:<n>` with signer kubernetes.io/kube-apiserver-client-kubelet, then waits until
 * the csrapproving controller approved it and the signer issued the certificate.
 */
import type { KeyObject } from "node:crypto";
import { createCsr } from "./csr.js";
import { httpsJson, type JoinRequest } from "./http.js";

export const KUBELET_CLIENT_SIGNER = "kubernetes.io/kube-apiserver-client-kubelet";
const CSRS = "/apis/certificates.k8s.io/v1/certificatesigningrequests";

interface Csr {
  metadata: { name: string };
  status?: { certificate?: string; conditions?: { type: string; message?: string }[] };
}

export interface CsrAuth {
  server: string;
  ca: string;
  /** Bootstrap token (join) — or a client certificate (rotation). */
  bearer?: string;
  cert?: string;
  key?: string;
}

export interface IssuedCertificate {
  csrName: string;
  certPem: string;
}

async function call<T>(auth: CsrAuth, path: string, req: JoinRequest = {}) {
  return httpsJson<T>(`${auth.server}${path}`, {
    ...req,
    ca: auth.ca,
    bearer: auth.bearer,
    cert: auth.cert,
    key: auth.key,
  });
}

export async function requestNodeCertificate(
  auth: CsrAuth,
  nodeName: string,
  key: KeyObject,
  timeoutMs: number,
  expirationSeconds?: number,
): Promise<IssuedCertificate> {
  const request = createCsr(key, {
    commonName: `system:node:${nodeName}`,
    organizations: ["system:nodes"],
  });
  const created = await call<Csr>(auth, CSRS, {
    method: "POST",
    body: {
      apiVersion: "certificates.k8s.io/v1",
      kind: "CertificateSigningRequest",
      metadata: { generateName: `node-csr-${nodeName}-` },
      spec: {
        request: Buffer.from(request).toString("base64"),
        signerName: KUBELET_CLIENT_SIGNER,
        usages: ["digital signature", "client auth"],
        ...(expirationSeconds ? { expirationSeconds } : {}),
      },
    },
  });
  if (created.status !== 201) {
    throw new Error(
      `creating the CertificateSigningRequest failed (HTTP ${created.status}): ${JSON.stringify(created.body).slice(0, 300)}`,
    );
  }
  const name = created.body.metadata.name;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call<Csr>(auth, `${CSRS}/${name}`);
    const conditions = res.body.status?.conditions ?? [];
    const refused = conditions.find(c => c.type === "Denied" || c.type === "Failed");
    if (refused) {
      throw new Error(
        `CertificateSigningRequest ${name} ${refused.type}: ${refused.message ?? ""}`,
      );
    }
    const cert = res.body.status?.certificate;
    if (cert) return { csrName: name, certPem: Buffer.from(cert, "base64").toString("utf8") };
    if (Date.now() > deadline) {
      throw new Error(
        `CertificateSigningRequest ${name} was not approved and issued within ` +
          `${Math.round(timeoutMs / 1000)}s (does the cluster auto-approve node client CSRs?)`,
      );
    }
    await new Promise(r => setTimeout(r, 300));
  }
}
