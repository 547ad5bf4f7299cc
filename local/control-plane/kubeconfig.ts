/** Kubeconfig files with embedded certificates, so one file is all a client needs. */
import { stringify } from "yaml";

export interface KubeconfigSpec {
  server: string;
  caPem: string;
  certPem: string;
  keyPem: string;
  user: string;
  clusterName?: string;
}

const b64 = (pem: string): string => Buffer.from(pem).toString("base64");

export function renderKubeconfig(spec: KubeconfigSpec): string {
  const cluster = spec.clusterName ?? "kubeedge-ts-local";
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: cluster,
        cluster: { server: spec.server, "certificate-authority-data": b64(spec.caPem) },
      },
    ],
    users: [
      {
        name: spec.user,
        user: {
          "client-certificate-data": b64(spec.certPem),
          "client-key-data": b64(spec.keyPem),
        },
      },
    ],
    contexts: [{ name: spec.user, context: { cluster, user: spec.user } }],
    "current-context": spec.user,
  });
}
