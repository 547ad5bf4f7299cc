/**
 * `kubeedge-edge join`: TLS bootstrap of this device as node N. Every check that can refuse
 * runs before anything is written on the device or created in the cluster; the key stays in
 * memory until the certificate is issued, then the files are written in one go.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { X509Certificate } from "node:crypto";
import { stringify } from "yaml";
import { CONFIG_API_VERSION, CONFIG_KIND } from "../config/types.js";
import { renderNodeKubeconfig } from "../kube/kubeconfig.js";
import { requestNodeCertificate } from "./csr-client.js";
import { keyToPem, newNodeKey } from "./csr.js";
import { discover, JoinRefused, parsePin, parseToken } from "./discovery.js";
import { httpsJson } from "./http.js";
import { joinLayout, type JoinRecord } from "./layout.js";

export interface JoinOptions {
  server: string;
  token: string;
  caHash: string;
  nodeName: string;
  dataDir: string;
  discoveryTimeoutMs: number;
  approvalTimeoutMs: number;
  /** Lifetime asked for in every CSR (seconds, >= 600); absent = the signer's default. */
  certificateValiditySeconds?: number;
  progress: (line: string) => void;
}

export interface JoinResult {
  csrName: string;
  config: string;
  kubeconfig: string;
  certificate: X509Certificate;
}

const NODE_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

async function refuseExistingNode(server: string, ca: string, bearer: string, node: string) {
  const res = await httpsJson<{ message?: string }>(`${server}/api/v1/nodes/${node}`, {
    ca,
    bearer,
  });
  if (res.status === 404) return;
  if (res.status === 200) {
    throw new JoinRefused(
      `node ${node} already exists in the cluster with another identity; choose another ` +
        `--node-name, or delete Node ${node} if that machine is gone`,
    );
  }
  if (res.status === 401) {
    throw new JoinRefused("the apiserver refused the token (expired or deleted meanwhile)");
  }
  throw new JoinRefused(
    `cannot check whether node ${node} exists (HTTP ${res.status}: ${res.body.message ?? ""})`,
  );
}

function writeAtomically(path: string, text: string, mode: number): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, path);
}

export function agentConfigYaml(nodeName: string, dataDir: string, validitySeconds = 0): string {
  const l = joinLayout(dataDir);
  return stringify({
    apiVersion: CONFIG_API_VERSION,
    kind: CONFIG_KIND,
    nodeName,
    dataDir: l.agentState,
    modules: {
      edgeHub: {
        kubeconfig: l.kubeconfig,
        rotateCertificates: true,
        certificateValiditySeconds: validitySeconds,
      },
    },
  });
}

export async function joinCluster(opts: JoinOptions): Promise<JoinResult> {
  const token = parseToken(opts.token);
  const pin = parsePin(opts.caHash);
  if (!NODE_NAME.test(opts.nodeName)) {
    throw new JoinRefused(
      `--node-name '${opts.nodeName}' is not a DNS subdomain (lowercase letters, digits, '-', '.')`,
    );
  }
  const l = joinLayout(opts.dataDir);
  if (existsSync(l.record) || existsSync(l.kubeconfig)) {
    throw new JoinRefused(
      `${opts.dataDir} already holds a joined node; run kubeedge-edge reset first`,
    );
  }
  opts.progress(`discovering the cluster at ${opts.server}`);
  const { caPem, server } = await discover({
    server: opts.server,
    token,
    pin,
    timeoutMs: opts.discoveryTimeoutMs,
  });
  opts.progress(`cluster CA verified (${pin}); cluster-info signed for token ${token.id}`);
  const bearer = `${token.id}.${token.secret}`;
  await refuseExistingNode(server, caPem, bearer, opts.nodeName);
  const key = newNodeKey();
  opts.progress(`requesting a client certificate for system:node:${opts.nodeName}`);
  const issued = await requestNodeCertificate(
    { server, ca: caPem, bearer },
    opts.nodeName,
    key,
    opts.approvalTimeoutMs,
    opts.certificateValiditySeconds,
  );
  const certificate = new X509Certificate(issued.certPem);
  opts.progress(`CertificateSigningRequest ${issued.csrName} approved; certificate issued`);

  const createdDataDir = !existsSync(opts.dataDir);
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  writeAtomically(
    l.kubeconfig,
    renderNodeKubeconfig({
      server,
      caPem,
      certPem: issued.certPem,
      keyPem: keyToPem(key),
      nodeName: opts.nodeName,
    }),
    0o600,
  );
  writeAtomically(
    l.config,
    agentConfigYaml(opts.nodeName, opts.dataDir, opts.certificateValiditySeconds),
    0o600,
  );
  const record: JoinRecord = {
    nodeName: opts.nodeName,
    server,
    createdDataDir,
    files: [l.kubeconfig, l.config, l.record],
    joinedAt: new Date().toISOString(),
  };
  writeAtomically(l.record, JSON.stringify(record, null, 2), 0o600);
  return { csrName: issued.csrName, config: l.config, kubeconfig: l.kubeconfig, certificate };
}
