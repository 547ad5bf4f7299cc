import { mkdirSync, mkdtempSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface ConfigMapDir {
  dir: string;
  /** Path of the key as a pod sees it (a symlink through `..data`). */
  path: string;
  /** Publishes new content the way the kubelet's AtomicWriter does. */
  swap(text: string): void;
}

/** Lays out a directory exactly like a mounted ConfigMap volume with one key. */
export function configMapDir(key: string, text: string): ConfigMapDir {
  const dir = mkdtempSync(join(tmpdir(), "cm-"));
  let n = 0;
  const swap = (content: string): void => {
    const ts = `..2026_11_23_${n++}`;
    mkdirSync(join(dir, ts));
    writeFileSync(join(dir, ts, key), content);
    const tmpLink = join(dir, "..data_tmp");
    symlinkSync(ts, tmpLink);
    renameSync(tmpLink, join(dir, "..data")); // atomic replace of the symlink
  };
  swap(text);
  symlinkSync(`..data/${key}`, join(dir, key));
  return { dir, path: join(dir, key), swap };
}
