import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

/**
 * The kubelet API's serving certificate: self-signed and kept under `dir` (kubelet does the
 * same when given none). The apiserver does not verify kubelet serving certificates unless
 * started with --kubelet-certificate-authority, so this is accepted as is; a cluster that
 * sets that flag needs a certificate its CA signed (not done here). Made with the openssl CLI
 * once, so the agent carries no X.509 library for it.
 */
export async function servingCert(
  dir: string,
  nodeName: string,
  ip: string,
): Promise<{ cert: Buffer; key: Buffer }> {
  const certFile = join(dir, "kubelet.crt");
  const keyFile = join(dir, "kubelet.key");
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    await promisify(execFile)("openssl", [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "365",
      "-subj",
      `/CN=${nodeName}@kubeedge-ts`,
      "-addext",
      `subjectAltName=DNS:${nodeName},IP:${ip}`,
      "-keyout",
      keyFile,
      "-out",
      certFile,
    ]);
  }
  return { cert: readFileSync(certFile), key: readFileSync(keyFile) };
}
