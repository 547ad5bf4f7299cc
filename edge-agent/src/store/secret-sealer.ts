/**
 * Secrets at rest: the meta store keeps a Secret's JSON sealed with AES-256-GCM, so the
 * database, its WAL and a copy of the data directory reveal no Secret value without the key
 * file, which lives apart from the database (secret-key.ts). The row's identity
 * (kind/namespace/name) is the additional authenticated data: a sealed value copied into
 * another row fails to open instead of showing up as another Secret.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const PREFIX = "enc:v1:";
const IV_BYTES = 12;
export const SECRET_KEY_BYTES = 32;

export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

export class SecretSealer {
  constructor(private readonly key: Buffer) {
    if (key.length !== SECRET_KEY_BYTES) {
      throw new Error(`a secrets key has ${SECRET_KEY_BYTES} bytes, this one ${key.length}`);
    }
  }

  seal(plain: string, identity: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(identity));
    const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), data].map(b => b.toString("base64"));
    return PREFIX + parts.join(":");
  }

  /** The plain text of a sealed value; throws when the key or the identity does not match. */
  open(stored: string, identity: string): string {
    const [iv, tag, data] = stored
      .slice(PREFIX.length)
      .split(":")
      .map(p => Buffer.from(p, "base64"));
    if (!iv || !tag || !data) throw new Error(`sealed value of ${identity} is malformed`);
    const decipher = createDecipheriv("aes-256-gcm", this.key, iv);
    decipher.setAAD(Buffer.from(identity));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(data), decipher.final()]).toString("utf8");
    } catch (error) {
      throw new Error(`cannot open the sealed value of ${identity}: wrong secrets key?`, {
        cause: error,
      });
    }
  }
}
