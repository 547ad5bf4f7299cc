/**
 * Certificates for the local control plane: one CA, a serving certificate for 127.0.0.1, and
 * client certificates whose CN/O become the Kubernetes user and groups (admin, controllers,
 * nodes). Keys come from Node's crypto (fast RSA keygen); node-forge builds the X.509.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import forge from "node-forge";

export interface KeyPair {
  certPem: string;
  keyPem: string;
}

export interface SubjectSpec {
  commonName: string;
  organizations?: string[];
}

export interface CertSpec extends SubjectSpec {
  usage: "server" | "client" | "both";
  dnsNames?: string[];
  ipAddresses?: string[];
  validDays?: number;
}

function newRsaKey(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  return { privatePem: privateKey, publicPem: publicKey };
}

function subjectAttrs(spec: SubjectSpec): forge.pki.CertificateField[] {
  const attrs: forge.pki.CertificateField[] = [{ name: "commonName", value: spec.commonName }];
  for (const o of spec.organizations ?? []) attrs.push({ name: "organizationName", value: o });
  return attrs;
}

function baseCert(publicPem: string, validDays: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicPem);
  // A positive serial: a leading 0x00..0x7f byte keeps the DER integer non-negative.
  cert.serialNumber = "01" + randomBytes(15).toString("hex");
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now + validDays * 24 * 60 * 60 * 1000);
  return cert;
}

function toPem(cert: forge.pki.Certificate, privatePem: string): KeyPair {
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privatePem };
}

export function createCa(commonName = "kubeedge-ts-local-ca", validDays = 3650): KeyPair {
  const key = newRsaKey();
  const cert = baseCert(key.publicPem, validDays);
  const attrs = subjectAttrs({ commonName });
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(key.privatePem), forge.md.sha256.create());
  return toPem(cert, key.privatePem);
}

export function signCert(ca: KeyPair, spec: CertSpec): KeyPair {
  const key = newRsaKey();
  const cert = baseCert(key.publicPem, spec.validDays ?? 365);
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  cert.setSubject(subjectAttrs(spec));
  cert.setIssuer(caCert.subject.attributes);
  const altNames = [
    ...(spec.dnsNames ?? []).map(value => ({ type: 2, value })),
    ...(spec.ipAddresses ?? []).map(ip => ({ type: 7, ip })),
  ];
  const extensions: object[] = [
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    {
      name: "extKeyUsage",
      serverAuth: spec.usage !== "client",
      clientAuth: spec.usage !== "server",
    },
  ];
  if (altNames.length > 0) extensions.push({ name: "subjectAltName", altNames });
  cert.setExtensions(extensions);
  cert.sign(forge.pki.privateKeyFromPem(ca.keyPem), forge.md.sha256.create());
  return toPem(cert, key.privatePem);
}

/** The RSA pair the apiserver signs service-account tokens with. */
export function createServiceAccountKey(): { privatePem: string; publicPem: string } {
  return newRsaKey();
}
