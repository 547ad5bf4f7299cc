/** Certificates and kubeconfigs of a local control plane: admin, components and nodes. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { APISERVER_KUBELET_CLIENT_CN } from "@kubeedge-ts/contract";
import { layout } from "./layout.js";
import { renderKubeconfig } from "./kubeconfig.js";
import { createCa, createServiceAccountKey, signCert, type KeyPair } from "./pki.js";
import { mustState, writeState } from "./state.js";

/** `extraServingIps`: addresses besides loopback the apiserver is reached at (a worker's pods). */
export function writePki(
  dir: string,
  extraServingIps: string[] = [],
): { ca: KeyPair; admin: KeyPair } {
  const l = layout(dir);
  mkdirSync(l.pki, { recursive: true, mode: 0o700 });
  const ca = createCa();
  const serving = signCert(ca, {
    commonName: "kube-apiserver",
    usage: "server",
    dnsNames: ["localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc"],
    ipAddresses: ["127.0.0.1", "10.0.0.1", ...extraServingIps],
  });
  const kubeletClient = signCert(ca, {
    commonName: APISERVER_KUBELET_CLIENT_CN,
    organizations: ["system:masters"],
    usage: "client",
  });
  const sa = createServiceAccountKey();
  writeFileSync(l.caCert, ca.certPem);
  writeFileSync(l.caKey, ca.keyPem, { mode: 0o600 });
  writeFileSync(l.servingCert, serving.certPem);
  writeFileSync(l.servingKey, serving.keyPem, { mode: 0o600 });
  writeFileSync(l.kubeletClientCert, kubeletClient.certPem);
  writeFileSync(l.kubeletClientKey, kubeletClient.keyPem, { mode: 0o600 });
  writeFileSync(l.saKey, sa.privatePem, { mode: 0o600 });
  writeFileSync(l.saPub, sa.publicPem);
  const admin = signCert(ca, {
    commonName: "admin",
    organizations: ["system:masters"],
    usage: "client",
  });
  return { ca, admin };
}

export function writeKubeconfig(
  path: string,
  server: string,
  ca: KeyPair,
  user: string,
  groups: string[],
): void {
  const pair = signCert(ca, { commonName: user, organizations: groups, usage: "client" });
  writeFileSync(
    path,
    renderKubeconfig({
      server,
      caPem: ca.certPem,
      certPem: pair.certPem,
      keyPem: pair.keyPem,
      user,
    }),
    { mode: 0o600 },
  );
}

export function adminTls(dir: string): { ca: string; cert: string; key: string } {
  // The admin identity's client cert is embedded in admin.kubeconfig; keep a copy for probes.
  const l = layout(dir);
  return {
    ca: readFileSync(l.caCert, "utf8"),
    cert: readFileSync(`${l.pki}/admin.crt`, "utf8"),
    key: readFileSync(`${l.pki}/admin.key`, "utf8"),
  };
}

/** Throws unless `node` can name a Node (a DNS subdomain). */
export function assertNodeName(node: string): void {
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(node)) {
    throw new Error(
      `node name '${node}' is not a valid DNS subdomain (lowercase letters, digits, '-', '.')`,
    );
  }
}

/** Writes `<dir>/<node>.kubeconfig` for `system:node:<node>` in group `system:nodes`. */
export function mintNodeIdentity(dir: string, node: string): string {
  const state = mustState(dir);
  assertNodeName(node);
  const l = layout(state.dir);
  const ca: KeyPair = {
    certPem: readFileSync(l.caCert, "utf8"),
    keyPem: readFileSync(l.caKey, "utf8"),
  };
  writeKubeconfig(l.nodeKubeconfig(node), state.server, ca, `system:node:${node}`, [
    "system:nodes",
  ]);
  if (!state.identities.includes(node)) {
    state.identities.push(node);
    writeState(state);
  }
  return l.nodeKubeconfig(node);
}
