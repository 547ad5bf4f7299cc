/**
 * The worker's credentials, all signed with the local control plane's CA key:
 * - the kubelet's client identity `system:node:<name>` (group system:nodes). A real cluster
 *   would issue it through TLS bootstrap (a CSR); minting it from the CA key is the same
 *   shortcut as `kubeedge-ts cluster node-identity`, acceptable for the local control plane only;
 * - the kubelet's serving certificate (its API: logs, exec), for the node's name and address;
 * - kube-proxy's client identity `system:kube-proxy` (the default system:node-proxier binding).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { layout } from "../control-plane/layout.js";
import { mintNodeIdentity, writeKubeconfig } from "../control-plane/credentials.js";
import { type KeyPair, signCert } from "../control-plane/pki.js";
import type { ControlPlaneState } from "../control-plane/state.js";
import type { WorkerLayout } from "./layout.js";

export interface WorkerIdentities {
  /** kubeconfig of system:node:<name> */
  kubeletKubeconfig: string;
}

export function writeWorkerIdentities(
  state: ControlPlaneState,
  l: WorkerLayout,
  nodeName: string,
  address: string,
): WorkerIdentities {
  const cp = layout(state.dir);
  const ca: KeyPair = {
    certPem: readFileSync(cp.caCert, "utf8"),
    keyPem: readFileSync(cp.caKey, "utf8"),
  };
  mkdirSync(l.pki, { recursive: true, mode: 0o700 });
  const kubeletKubeconfig = mintNodeIdentity(state.dir, nodeName);
  const serving = signCert(ca, {
    commonName: `system:node:${nodeName}`,
    organizations: ["system:nodes"],
    usage: "server",
    dnsNames: [nodeName, "localhost"],
    ipAddresses: [address, "127.0.0.1"],
  });
  writeFileSync(l.kubeletServingCert, serving.certPem);
  writeFileSync(l.kubeletServingKey, serving.keyPem, { mode: 0o600 });
  writeKubeconfig(l.kubeProxyKubeconfig, state.server, ca, "system:kube-proxy", []);
  return { kubeletKubeconfig };
}
