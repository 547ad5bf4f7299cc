/**
 * TLS bootstrap as kubeadm defines it, shared by `kubeedge-ts token create` (which prints the
 * pin) and `kubeedge-edge join` (which checks it): the token format and the CA pin.
 */
import { createHash, X509Certificate } from "node:crypto";

/** `<id>.<secret>`: 6 and 16 characters of [a-z0-9] (kubeadm's bootstrap token format). */
export const BOOTSTRAP_TOKEN_PATTERN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;

/** Where the bootstrap signer publishes the cluster's CA and server URL, readable anonymously. */
export const CLUSTER_INFO_PATH = "/api/v1/namespaces/kube-public/configmaps/cluster-info";

/** The bootstrap signer's detached JWS of cluster-info's kubeconfig, one key per token id. */
export const clusterInfoSignatureKey = (tokenId: string): string => `jws-kubeconfig-${tokenId}`;

/**
 * kubeadm's CA pin: `sha256:` + hex SHA-256 of the CA certificate's DER SubjectPublicKeyInfo
 * (the public key, so a re-issued CA with the same key keeps the pin).
 */
export function caPublicKeyPin(caPem: string | Buffer): string {
  const spki = new X509Certificate(caPem).publicKey.export({ type: "spki", format: "der" });
  return `sha256:${createHash("sha256").update(spki).digest("hex")}`;
}
