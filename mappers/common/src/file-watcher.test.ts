import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../test-support/wait-for.js";
import { watchFile, type FileWatcher } from "./file-watcher.js";

/** Lays out a directory the way the kubelet mounts a ConfigMap volume. */
function configMapDir(): { dir: string; swap(text: string): void } {
  const dir = mkdtempSync(join(tmpdir(), "cm-"));
  let n = 0;
  const swap = (text: string): void => {
    const ts = join(dir, `..2026_11_23_${n++}`);
    mkdirSync(ts);
    writeFileSync(join(ts, "deviceProfile.json"), text);
    const tmpLink = join(dir, "..data_tmp");
    symlinkSync(ts.split("/").pop()!, tmpLink);
    renameSync(tmpLink, join(dir, "..data")); // atomic, like the kubelet's AtomicWriter
  };
  swap("v1");
  symlinkSync("..data/deviceProfile.json", join(dir, "deviceProfile.json"));
  return { dir, swap };
}

describe("watchFile", () => {
  let watcher: FileWatcher | undefined;
  afterEach(() => watcher?.close());

  it("delivers the initial text and each ConfigMap symlink swap", async () => {
    const cm = configMapDir();
    const seen: string[] = [];
    watcher = watchFile(join(cm.dir, "deviceProfile.json"), t => seen.push(t), { debounceMs: 20 });
    await waitFor("initial text", () => seen.length === 1);
    cm.swap("v2");
    await waitFor("v2", () => seen.includes("v2"));
    cm.swap("v3");
    await waitFor("v3", () => seen.includes("v3"));
    expect(seen).toEqual(["v1", "v2", "v3"]);
  });

  it("sees in-place writes, ignores rewrites with equal content, and waits for a missing file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "plain-"));
    const file = join(dir, "p.json");
    const seen: string[] = [];
    watcher = watchFile(file, t => seen.push(t), { debounceMs: 20 });
    await watcher.check();
    expect(seen).toEqual([]);
    writeFileSync(file, "a");
    await waitFor("a", () => seen.includes("a"));
    writeFileSync(file, "a");
    writeFileSync(file, "bb");
    await waitFor("bb", () => seen.includes("bb"));
    rmSync(file);
    writeFileSync(file, "ccc");
    await waitFor("ccc", () => seen.includes("ccc"));
    expect(seen).toEqual(["a", "bb", "ccc"]);
  });

  it("falls back to polling when the directory cannot be watched", async () => {
    const errors: Error[] = [];
    watcher = watchFile("/nonexistent-dir-xyz/p.json", () => {}, {
      onError: e => errors.push(e),
      pollMs: 20,
    });
    expect(errors[0]?.message).toMatch(/polling only/);
  });
});
