/**
 * A PKCS#10 certificate signing request for a node client certificate, DER-encoded by hand:
 * node:crypto makes keys and signatures but no CSRs, and a certificate library would add more
 * to the device than these few lines. ECDSA P-256, as the kubelet uses.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from "node:crypto";

const OID = {
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
};

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const sequence = (...c: Buffer[]): Buffer => tlv(0x30, ...c);
const set = (...c: Buffer[]): Buffer => tlv(0x31, ...c);

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split(".").map(Number);
  const bytes = [40 * a + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, "utf8"));

export interface Subject {
  commonName: string;
  organizations: string[];
}

/** The X.501 Name: O attributes first, then CN (as Go's pkix.Name orders them). */
export function encodeName(subject: Subject): Buffer {
  const rdns = [
    ...subject.organizations.map(o => set(sequence(oid(OID.organization), utf8(o)))),
    set(sequence(oid(OID.commonName), utf8(subject.commonName))),
  ];
  return sequence(...rdns);
}

export function newNodeKey(): KeyObject {
  return generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey;
}

export function keyToPem(key: KeyObject): string {
  return key.export({ type: "pkcs8", format: "pem" }).toString();
}

export const keyFromPem = (pem: string | Buffer): KeyObject => createPrivateKey(pem);

/** The CSR in PEM, signed with `key` (an EC private key). */
export function createCsr(key: KeyObject, subject: Subject): string {
  const spki = createPublicKey(key).export({ type: "spki", format: "der" });
  const info = sequence(
    tlv(0x02, Buffer.from([0])), // version 0
    encodeName(subject),
    spki,
    tlv(0xa0), // attributes: none
  );
  const signature = sign("sha256", info, key);
  const der = sequence(
    info,
    sequence(oid(OID.ecdsaWithSha256)),
    tlv(0x03, Buffer.from([0]), signature),
  );
  const b64 = der.toString("base64").replace(/.{64}/g, "$&\n");
  return `-----BEGIN CERTIFICATE REQUEST-----\n${b64.replace(/\n$/, "")}\n-----END CERTIFICATE REQUEST-----\n`;
}
