/**
 * The key that seals Secrets in the database (secret-sealer.ts). It lives in its own file, 0400
 * in a 0700 directory apart from the data directory (default `<dataDir>.keys/secrets.key`,
 * configurable with `database.secretsKeyFile` / `--secrets-key-file`, e.g. on tmpfs or another
 * medium), so a copy of the data directory carries no key. Created at first start.
 */
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname } from "node:path";
import { SECRET_KEY_BYTES, SecretSealer } from "./secret-sealer.js";

export const SECRET_KEY_MODE = 0o400;
const KEY_DIR_MODE = 0o700;

/** Where the key lives when not configured: beside the data directory, never inside it. */
export function defaultSecretsKeyFile(dataDir: string): string {
  return `${dataDir.replace(/\/+$/, "")}.keys/secrets.key`;
}

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * The sealer for a database: the configured key file, else the default beside the data
 * directory; a database in memory gets a key that lives as long as it does.
 */
export function secretSealerFor(
  db: { dataSource: string; secretsKeyFile: string },
  dataDir: string,
): SecretSealer {
  const inMemory = db.dataSource === "" || db.dataSource === ":memory:";
  const file =
    db.secretsKeyFile || (inMemory ? "" : defaultSecretsKeyFile(dataDir || dirname(db.dataSource)));
  return new SecretSealer(file ? loadOrCreateSecretsKey(file) : randomBytes(SECRET_KEY_BYTES));
}

/** Reads the key, creating it (random, 0400) the first time. A wrong-sized file is an error. */
export function loadOrCreateSecretsKey(file: string): Buffer {
  if (!exists(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: KEY_DIR_MODE });
    // "wx": two agents starting at once never overwrite each other's key.
    try {
      writeFileSync(file, randomBytes(SECRET_KEY_BYTES), { mode: SECRET_KEY_MODE, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  // A key left looser (restored by hand) is tightened, as the data directory is.
  chmodSync(file, SECRET_KEY_MODE);
  const key = readFileSync(file);
  if (key.length !== SECRET_KEY_BYTES) {
    throw new Error(`secrets key ${file} has ${key.length} bytes, not ${SECRET_KEY_BYTES}`);
  }
  return key;
}
