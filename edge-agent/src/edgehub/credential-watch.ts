/**
 * Notices the node's credential files changing on disk — a kubeconfig or client certificate
 * replaced by an operator, cert-manager, kubeadm or a configuration tool — and switches the
 * API client to them without a restart. Directories are watched, not files: writers replace a
 * file by renaming a new one over it (a new inode, which a watch on the old file never
 * reports), and Kubernetes Secret volumes swap a `..data` symlink.
 */
import { createPrivateKey, createHash, X509Certificate } from "node:crypto";
import { watch, type FSWatcher } from "node:fs";
import { basename, dirname } from "node:path";
import type { Logger } from "pino";
import type { Credentials } from "../kube/kubeconfig.js";
import type { Counter } from "../observability/metrics.js";

/** Writers replace a certificate and its key one after the other: wait for both. */
export const CREDENTIAL_DEBOUNCE_MS = 500;

export interface CredentialWatchDeps {
  /** The files credentials are read from (asked again after each change). */
  files: () => string[];
  read: () => Credentials;
  /** What the client uses now. */
  current: () => Credentials;
  apply: (creds: Credentials) => void;
  log: Logger;
  reloads: Counter;
  debounceMs?: number;
}

export function fingerprint(c: Credentials): string {
  const h = createHash("sha256").update(c.server);
  for (const part of [c.ca, c.cert, c.key]) h.update("\0").update(part ?? "");
  return h.digest("hex");
}

/** False while a writer has replaced one of certificate and key but not yet the other. */
export function keyFitsCertificate(c: Credentials): boolean {
  try {
    return new X509Certificate(c.cert).checkPrivateKey(createPrivateKey(c.key));
  } catch {
    return false;
  }
}

export class CredentialWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private names = new Set<string>();
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly deps: CredentialWatchDeps) {}

  start(): void {
    this.stopped = false;
    this.rewatch();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }

  /**
   * Reads the files and switches the client if they hold other credentials whose key fits the
   * certificate. Returns whether it switched.
   */
  check(): boolean {
    this.rewatch();
    let next: Credentials;
    try {
      next = this.deps.read();
    } catch (error) {
      this.deps.log.debug(
        { err: error },
        "credential files unreadable; waiting for the next change",
      );
      return false;
    }
    if (fingerprint(next) === fingerprint(this.deps.current())) return false;
    if (!keyFitsCertificate(next)) {
      this.deps.log.warn("changed client key does not fit the certificate; keeping the old ones");
      return false;
    }
    this.deps.apply(next);
    this.deps.reloads.inc();
    const serial = new X509Certificate(next.cert).serialNumber;
    this.deps.log.info({ serial }, "credential files changed; API client switched to them");
    return true;
  }

  private rewatch(): void {
    if (this.stopped) return;
    const files = this.deps.files();
    this.names = new Set(files.map(f => basename(f)));
    const dirs = new Set(files.map(f => dirname(f)));
    for (const [dir, w] of this.watchers) {
      if (dirs.has(dir)) continue;
      w.close();
      this.watchers.delete(dir);
    }
    for (const dir of dirs) {
      if (this.watchers.has(dir)) continue;
      try {
        const w = watch(dir, { persistent: false }, (_event, name) => this.changed(name));
        w.on("error", error => this.deps.log.warn({ err: error, dir }, "credential watch failed"));
        this.watchers.set(dir, w);
      } catch (error) {
        this.deps.log.warn({ err: error, dir }, "cannot watch credential directory");
      }
    }
  }

  /** A change in a watched directory: ours (or a Secret volume's `..data` swap), debounced. */
  private changed(name: string | Buffer | null): void {
    const file = name?.toString();
    if (file && !this.names.has(file) && !file.startsWith("..")) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (!this.stopped) this.check();
    }, this.deps.debounceMs ?? CREDENTIAL_DEBOUNCE_MS);
    this.timer.unref();
  }
}
