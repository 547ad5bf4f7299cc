/**
 * Which node, if any, a CertificateSigningRequest joined with an edge bootstrap token: a kubelet
 * client CSR requested by a member of EDGE_BOOTSTRAP_GROUP (the group `kubeedge-ts token create`
 * puts in the token's auth-extra-groups), approved, and issued for `system:node:<name>` in
 * `system:nodes`. Creating such a token is the admin's grant of the edge role, as the allow-list
 * entry is for a node identity minted any other way.
 */
import { X509Certificate } from "node:crypto";
import { EDGE_BOOTSTRAP_GROUP, NODES_GROUP } from "@kubeedge-ts/contract";

export const KUBELET_CLIENT_SIGNER = "kubernetes.io/kube-apiserver-client-kubelet";
const NODE_USER_PREFIX = "system:node:";

export interface CsrLike {
  metadata?: { name?: string };
  spec?: { signerName?: string; username?: string; groups?: string[] };
  status?: { certificate?: string; conditions?: { type?: string; status?: string }[] };
}

/** CN and O entries of a certificate's subject ("O=system:nodes\nCN=system:node:x"). */
function subjectOf(pem: string): { cn?: string; o: string[] } {
  const entries = new X509Certificate(pem).subject.split("\n").map(l => l.split("="));
  return {
    cn: entries.find(([k]) => k === "CN")?.[1],
    o: entries.filter(([k]) => k === "O").map(([, v]) => v),
  };
}

function issuedCertificate(csr: CsrLike): string | undefined {
  const approved = (csr.status?.conditions ?? []).some(
    c => c.type === "Approved" && c.status === "True",
  );
  const cert = csr.status?.certificate;
  return approved && cert ? Buffer.from(cert, "base64").toString("utf8") : undefined;
}

/** The node name a bootstrap join of the edge group was issued for, else undefined. */
export function edgeJoinedNode(csr: CsrLike): string | undefined {
  if (csr.spec?.signerName !== KUBELET_CLIENT_SIGNER) return undefined;
  if (!(csr.spec.groups ?? []).includes(EDGE_BOOTSTRAP_GROUP)) return undefined;
  const pem = issuedCertificate(csr);
  if (!pem) return undefined;
  let subject: { cn?: string; o: string[] };
  try {
    subject = subjectOf(pem);
  } catch {
    return undefined; // not a certificate: the signer never issued it
  }
  if (!subject.cn?.startsWith(NODE_USER_PREFIX) || !subject.o.includes(NODES_GROUP)) {
    return undefined;
  }
  return subject.cn.slice(NODE_USER_PREFIX.length) || undefined;
}
