import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isSafePath, writeAtomic } from "./atomic-writer.js";

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), "atomic-writer-"));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach(d => rmSync(d, { recursive: true, force: true })));
const file = (s: string): { content: Buffer } => ({ content: Buffer.from(s) });

describe("writeAtomic", () => {
  it("writes files behind the ..data symlink and a visible link per entry", () => {
    const dir = tempDir();
    expect(writeAtomic(dir, { "a.txt": file("one"), "sub/b.txt": file("two") })).toBe(true);
    expect(readFileSync(join(dir, "a.txt"), "utf8")).toBe("one");
    expect(readFileSync(join(dir, "sub/b.txt"), "utf8")).toBe("two");
    expect(readlinkSync(join(dir, "a.txt"))).toBe("..data/a.txt");
    expect(readlinkSync(join(dir, "..data"))).toMatch(/^\.\.\d{4}-/);
  });

  it("lets every user read the files, as containers running as non-root users do", () => {
    const dir = tempDir();
    writeAtomic(dir, { "a.txt": file("one"), "sub/b.txt": file("two") });
    const data = join(dir, readlinkSync(join(dir, "..data")));
    expect(statSync(data).mode & 0o777).toBe(0o755);
    expect(statSync(join(data, "sub")).mode & 0o755).toBe(0o755);
    expect(statSync(join(data, "a.txt")).mode & 0o777).toBe(0o644);
  });

  it("swaps the content in place, drops removed keys and the old data directory", () => {
    const dir = tempDir();
    writeAtomic(dir, { "a.txt": file("one"), "b.txt": file("bee") });
    const first = readlinkSync(join(dir, "..data"));
    expect(writeAtomic(dir, { "a.txt": file("uno") })).toBe(true);
    expect(readFileSync(join(dir, "a.txt"), "utf8")).toBe("uno");
    expect(readlinkSync(join(dir, "..data"))).not.toBe(first);
    expect(readdirSync(dir).sort()).toEqual(
      ["..data", readlinkSync(join(dir, "..data")), "a.txt"].sort(),
    );
  });

  it("leaves the directory alone when the content is the same", () => {
    const dir = tempDir();
    writeAtomic(dir, { "a.txt": file("one") });
    const first = readlinkSync(join(dir, "..data"));
    expect(writeAtomic(dir, { "a.txt": file("one") })).toBe(false);
    expect(readlinkSync(join(dir, "..data"))).toBe(first);
  });

  it.each([
    ["a.txt", true],
    ["dir/a.txt", true],
    ["/etc/passwd", false],
    ["../escape", false],
    ["a/../../b", false],
    ["", false],
  ])("path %j is safe: %s", (path, safe) => {
    expect(isSafePath(path)).toBe(safe);
  });

  it("refuses a path leaving the volume", () => {
    expect(() => writeAtomic(tempDir(), { "../x": file("no") })).toThrow(/invalid volume file/);
  });
});
