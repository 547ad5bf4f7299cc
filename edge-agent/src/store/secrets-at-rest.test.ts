import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "./database.js";
import { MetaStore } from "./meta-store.js";
import { defaultSecretsKeyFile, loadOrCreateSecretsKey, secretSealerFor } from "./secret-key.js";
import { SecretSealer } from "./secret-sealer.js";

const VALUE = "hunter2-the-plc-admin-password";
const B64 = Buffer.from(VALUE).toString("base64");

const secret = (name: string, rv = "1") => ({
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name, namespace: "plant", uid: `u-${name}`, resourceVersion: rv },
  data: { password: B64 },
  stringData: { note: VALUE },
});

/** Every byte of the database, its WAL and shared memory, as a copy of the directory has. */
function rawFiles(dir: string): Buffer {
  return Buffer.concat(
    readdirSync(dir)
      .filter(f => f.startsWith("edge.db"))
      .map(f => readFileSync(join(dir, f))),
  );
}

describe("Secrets at rest", () => {
  const dirs: string[] = [];
  const dbs: Database[] = [];
  const tmp = (): string => {
    const d = mkdtempSync(join(tmpdir(), "secrets-at-rest-"));
    dirs.push(d);
    return d;
  };
  const open = (dataDir: string, keyFile: string | undefined) => {
    const config = { dataSource: join(dataDir, "edge.db"), secretsKeyFile: keyFile ?? "" };
    const db = openDatabase(config.dataSource);
    dbs.push(db);
    return { db, meta: new MetaStore(db, keyFile ? secretSealerFor(config, dataDir) : undefined) };
  };

  afterEach(() => {
    for (const db of dbs.splice(0)) db.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("a copied data directory reveals no Secret value (database, WAL and SHM grepped)", () => {
    const data = tmp();
    const { meta } = open(data, join(tmp(), "secrets.key"));
    meta.put("Secret", secret("plc"));
    meta.put("Secret", secret("plc", "2"));
    const copy = tmp();
    cpSync(data, copy, { recursive: true });
    const raw = rawFiles(copy);
    expect(raw.length).toBeGreaterThan(0);
    expect(raw.includes(VALUE)).toBe(false);
    expect(raw.includes(B64)).toBe(false);
    expect(
      meta.get<ReturnType<typeof secret>>("Secret", "plant", "plc")?.object.data.password,
    ).toBe(B64);
  });

  it("seals Secrets an older version stored in clear text, leaving none in the files", () => {
    const data = tmp();
    const old = open(data, undefined);
    old.meta.put("Secret", secret("legacy"));
    old.meta.put("ConfigMap", { metadata: { name: "cm", namespace: "plant" }, data: { a: "b" } });
    expect(rawFiles(data).includes(VALUE)).toBe(true); // the attack works on the old layout
    old.db.close();
    dbs.splice(dbs.indexOf(old.db), 1);

    const { meta } = open(data, join(tmp(), "secrets.key"));
    expect(meta.sealPlaintextSecrets()).toBe(1);
    expect(rawFiles(data).includes(VALUE)).toBe(false);
    expect(rawFiles(data).includes(B64)).toBe(false);
    expect(
      meta.get<ReturnType<typeof secret>>("Secret", "plant", "legacy")?.object.stringData.note,
    ).toBe(VALUE);
    expect(meta.get("ConfigMap", "plant", "cm")?.object).toEqual({
      metadata: { name: "cm", namespace: "plant" },
      data: { a: "b" },
    });
    expect(meta.sealPlaintextSecrets()).toBe(0);
  });

  it("keeps the key 0400 in its own 0700 directory, outside the data directory", () => {
    const data = join(tmp(), "state");
    const keyFile = defaultSecretsKeyFile(data);
    expect(keyFile.startsWith(`${data}/`)).toBe(false);
    const key = loadOrCreateSecretsKey(keyFile);
    expect(statSync(keyFile).mode & 0o777).toBe(0o400);
    expect(statSync(join(keyFile, "..")).mode & 0o777).toBe(0o700);
    expect(loadOrCreateSecretsKey(keyFile).equals(key)).toBe(true);
  });

  it("drops Secrets sealed with another key instead of failing (they are a cache)", () => {
    const data = tmp();
    const first = open(data, join(tmp(), "a.key"));
    first.meta.put("Secret", secret("plc"));
    first.db.close();
    dbs.splice(dbs.indexOf(first.db), 1);
    const { meta } = open(data, join(tmp(), "b.key"));
    meta.sealPlaintextSecrets();
    expect(meta.get("Secret", "plant", "plc")).toBeUndefined();
  });

  it("a sealed value moved into another Secret's row does not open", () => {
    const sealer = new SecretSealer(Buffer.alloc(32, 7));
    const sealed = sealer.seal(VALUE, "Secret/plant/a");
    expect(sealer.open(sealed, "Secret/plant/a")).toBe(VALUE);
    expect(() => sealer.open(sealed, "Secret/plant/b")).toThrow(/cannot open/);
  });
});
