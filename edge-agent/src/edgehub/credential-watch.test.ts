/**
 * The credential file watch on real files: rename-over replacement, a key and certificate
 * replaced one after the other, unrelated files in the same directory.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eventually } from "@kubeedge-ts/testkit";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createCa, signCert, type KeyPair } from "../../../local/control-plane/pki.js";
import { readCredentials, type Credentials } from "../kube/kubeconfig.js";
import { Counter } from "../observability/metrics.js";
import { CredentialWatcher, keyFitsCertificate } from "./credential-watch.js";

const ca = createCa("credential-watch-test");
const mint = (): KeyPair => signCert(ca, { commonName: "system:node:n", usage: "client" });

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

/** Writes `name` the way cert-manager and kubeadm do: a temporary file renamed over it. */
function replace(dir: string, name: string, text: string): void {
  writeFileSync(join(dir, `.${name}.tmp`), text, { mode: 0o600 });
  renameSync(join(dir, `.${name}.tmp`), join(dir, name));
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), "credential-watch-"));
  const first = mint();
  replace(dir, "tls.crt", first.certPem);
  replace(dir, "tls.key", first.keyPem);
  const kubeconfig = join(dir, "kubeconfig");
  writeFileSync(
    kubeconfig,
    [
      "apiVersion: v1",
      "kind: Config",
      "clusters: [{ name: c, cluster: { server: 'https://127.0.0.1:6443' } }]",
      "users: [{ name: u, user: { client-certificate: tls.crt, client-key: tls.key } }]",
      "contexts: [{ name: x, context: { cluster: c, user: u } }]",
      "current-context: x",
    ].join("\n"),
  );
  let inUse: Credentials = readCredentials(kubeconfig);
  const reloads = new Counter("reloads", "reloads");
  const reads = { count: 0 };
  const watcher = new CredentialWatcher({
    files: () => [kubeconfig, join(dir, "tls.crt"), join(dir, "tls.key")],
    read: () => {
      reads.count++;
      return readCredentials(kubeconfig);
    },
    current: () => inUse,
    apply: creds => (inUse = creds),
    log: pino({ level: "silent" }),
    reloads,
    debounceMs: 100,
  });
  watcher.start();
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => watcher.stop());
  return { dir, reloads, reads, inUse: () => inUse, watcher };
}

describe("the credential file watch", () => {
  it("a certificate and key renamed over the old ones switch the client once, no restart", async () => {
    const t = setup();
    const next = mint();
    replace(t.dir, "tls.key", next.keyPem);
    replace(t.dir, "tls.crt", next.certPem);
    await eventually("the client to use the new certificate", async () =>
      t.inUse().cert.equals(Buffer.from(next.certPem)),
    );
    expect(t.inUse().key.toString()).toBe(next.keyPem);
    expect(t.reloads.get()).toBe(1);
  });

  it("a key that does not fit the certificate (one file replaced so far) is not used", () => {
    const t = setup();
    const before = t.inUse();
    replace(t.dir, "tls.key", mint().keyPem);
    expect(keyFitsCertificate(readCredentials(join(t.dir, "kubeconfig")))).toBe(false);
    expect(t.watcher.check()).toBe(false);
    expect(t.inUse()).toBe(before);
    expect(t.reloads.get()).toBe(0);
  });

  it("other files changing in the directory (the database's WAL) are not read for", async () => {
    const t = setup();
    for (let i = 0; i < 5; i++) writeFileSync(join(t.dir, "edge.db-wal"), `busy ${i}`);
    // Well past the debounce: a reaction to these writes would have read the files by now.
    await new Promise(resolve => setTimeout(resolve, 500));
    expect(t.reads.count).toBe(0);
    // A change of a watched file is read.
    replace(t.dir, "tls.crt", mint().certPem);
    await eventually("the changed certificate read", async () => t.reads.count >= 1);
  });
});
