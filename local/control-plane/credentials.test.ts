import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { APISERVER_KUBELET_CLIENT_CN } from "@kubeedge-ts/contract";
import { afterAll, describe, expect, it } from "vitest";
import { apiserverCommand } from "./commands.js";
import { writePki } from "./credentials.js";
import { layout } from "./layout.js";

describe("the apiserver's kubelet client identity", () => {
  const dir = mkdtempSync(join(tmpdir(), "kubeedge-ts-pki-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const l = layout(dir);
  writePki(dir);

  it("is a client certificate the cluster CA signed, named as kubeadm names it", () => {
    const cert = new X509Certificate(readFileSync(l.kubeletClientCert));
    const ca = new X509Certificate(readFileSync(l.caCert));
    expect(cert.subject).toContain(`CN=${APISERVER_KUBELET_CLIENT_CN}`);
    expect(cert.subject).toContain("O=system:masters");
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.keyUsage).toContain("1.3.6.1.5.5.7.3.2"); // clientAuth
    expect(readFileSync(l.kubeletClientKey, "utf8")).toContain("PRIVATE KEY");
  });

  it("is what the apiserver calls kubelets with, at their InternalIP", () => {
    const ports = { apiserver: 1, etcd: 2, etcdPeer: 3, scheduler: 4 };
    const args = apiserverCommand("/bin", l, ports).args;
    expect(args).toEqual(
      expect.arrayContaining([
        `--kubelet-client-certificate=${l.kubeletClientCert}`,
        `--kubelet-client-key=${l.kubeletClientKey}`,
        "--kubelet-preferred-address-types=InternalIP,Hostname",
      ]),
    );
  });
});
