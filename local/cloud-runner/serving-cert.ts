/**
 * The webhook serving certificate for a locally running module: the apiserver calls
 * https://<host>:<port>, so the certificate carries that host as an IP (or DNS) SAN and the
 * webhook configurations carry the CA as caBundle.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import { join } from "node:path";
import { createCa, signCert } from "../control-plane/pki.js";

export interface ServingCert {
  caPem: string;
  certPath: string;
  keyPath: string;
}

export function writeServingCert(dir: string, host: string): ServingCert {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ca = createCa("kubeedge-ts-webhook-ca", 30);
  const ipAddresses = isIP(host) ? [host] : [];
  const dnsNames = isIP(host) ? ["localhost"] : [host, "localhost"];
  if (!ipAddresses.includes("127.0.0.1")) ipAddresses.push("127.0.0.1");
  const leaf = signCert(ca, {
    commonName: host,
    usage: "server",
    ipAddresses,
    dnsNames,
    validDays: 30,
  });
  const certPath = join(dir, "tls.crt");
  const keyPath = join(dir, "tls.key");
  writeFileSync(certPath, leaf.certPem, { mode: 0o600 });
  writeFileSync(keyPath, leaf.keyPem, { mode: 0o600 });
  return { caPem: ca.certPem, certPath, keyPath };
}
