import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { configMapDir, eventually } from "@kubeedge-ts/testkit";
import { watchFile, type FileWatcher } from "./file-watcher.js";

describe("watchFile", () => {
  let watcher: FileWatcher | undefined;
  afterEach(() => watcher?.close());

  it("delivers the initial text and each ConfigMap symlink swap", async () => {
    const cm = configMapDir("deviceProfile.json", "v1");
    const seen: string[] = [];
    watcher = watchFile(cm.path, t => seen.push(t), { debounceMs: 20 });
    await eventually("initial text", () => seen.length === 1);
    cm.swap("v2");
    await eventually("v2", () => seen.includes("v2"));
    cm.swap("v3");
    await eventually("v3", () => seen.includes("v3"));
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
    await eventually("a", () => seen.includes("a"));
    writeFileSync(file, "a");
    writeFileSync(file, "bb");
    await eventually("bb", () => seen.includes("bb"));
    rmSync(file);
    writeFileSync(file, "ccc");
    await eventually("ccc", () => seen.includes("ccc"));
    expect(seen).toEqual(["a", "bb", "ccc"]);
  });

  it("reports a file it cannot see for another reason than absence, once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "blocked-"));
    writeFileSync(join(dir, "not-a-dir"), "x");
    const errors: string[] = [];
    watcher = watchFile(join(dir, "not-a-dir", "p.json"), () => undefined, {
      debounceMs: 20,
      onError: e => errors.push(e.message),
    });
    await watcher.check();
    await watcher.check();
    expect(errors.filter(e => e.startsWith("cannot stat"))).toEqual([
      `cannot stat ${join(dir, "not-a-dir", "p.json")}: ENOTDIR`,
    ]);
    rmSync(dir, { recursive: true, force: true });
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
