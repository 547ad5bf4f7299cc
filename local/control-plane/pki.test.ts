import { X509Certificate } from "node:crypto";
import { createCa, signCert } from "./pki.js";

describe("local control-plane PKI", () => {
  const ca = createCa();

  it("signs a node client certificate that names the node user and the nodes group", () => {
    const pair = signCert(ca, {
      commonName: "system:node:edge-1",
      organizations: ["system:nodes"],
      usage: "client",
    });
    const cert = new X509Certificate(pair.certPem);
    expect(cert.subject).toContain("CN=system:node:edge-1");
    expect(cert.subject).toContain("O=system:nodes");
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(cert.checkIssued(new X509Certificate(ca.certPem))).toBe(true);
  });

  it("puts 127.0.0.1 and localhost in a serving certificate", () => {
    const pair = signCert(ca, {
      commonName: "kube-apiserver",
      usage: "server",
      dnsNames: ["localhost"],
      ipAddresses: ["127.0.0.1"],
    });
    const cert = new X509Certificate(pair.certPem);
    expect(cert.subjectAltName).toContain("DNS:localhost");
    expect(cert.subjectAltName).toContain("IP Address:127.0.0.1");
    expect(cert.checkIP("127.0.0.1")).toBe("127.0.0.1");
  });
});
