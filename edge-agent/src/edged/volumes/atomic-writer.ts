import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";

const DATA_LINK = "..data";

/** Files of a volume: relative path → content (and mode, default 0644). */
export type VolumeFiles = Record<string, { content: Buffer; mode?: number }>;

/** Relative paths must stay inside the volume: no absolute paths, no `..` components. */
export function isSafePath(path: string): boolean {
  return path !== "" && !path.startsWith("/") && !path.split("/").some(p => p === ".." || p === "");
}

/**
 * Writes a volume's files as kubelet's AtomicWriter does, so a reader never sees half an
 * update: the files go into a fresh hidden directory `..<time>`, the `..data` symlink is swapped
 * to it with one rename, and each visible top-level entry is a symlink through `..data`. A
 * container that bind-mounted `dir` sees the new content at once (it is the same directory).
 * Returns false when the content is already there.
 */
export function writeAtomic(dir: string, files: VolumeFiles): boolean {
  for (const path of Object.keys(files)) {
    if (!isSafePath(path)) throw new Error(`invalid volume file path "${path}"`);
  }
  mkdirSync(dir, { recursive: true });
  const current = currentDataDir(dir);
  if (current && sameContent(join(dir, current), files)) return false;
  const next = mkdtempSync(join(dir, `..${new Date().toISOString().replace(/[:.]/g, "_")}.`));
  // mkdtemp makes it 0700: containers running as another user (a mapper as `node`) must read it.
  chmodSync(next, 0o755);
  for (const [path, file] of Object.entries(files)) {
    mkdirSync(dirname(join(next, path)), { recursive: true });
    writeFileSync(join(next, path), file.content, { mode: file.mode ?? 0o644 });
  }
  const tmpLink = join(dir, `${DATA_LINK}_tmp`);
  rmSync(tmpLink, { force: true });
  symlinkSync(next.slice(dir.length + 1), tmpLink);
  renameSync(tmpLink, join(dir, DATA_LINK));
  syncVisibleLinks(dir, new Set(Object.keys(files).map(p => p.split("/")[0]!)));
  if (current) rmSync(join(dir, current), { recursive: true, force: true });
  return true;
}

function currentDataDir(dir: string): string | undefined {
  try {
    return readlinkSync(join(dir, DATA_LINK));
  } catch {
    return undefined;
  }
}

/** One symlink `name → ..data/name` per top-level entry; links to dropped entries removed. */
function syncVisibleLinks(dir: string, names: ReadonlySet<string>): void {
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith("..") || names.has(entry)) continue;
    if (lstatSync(join(dir, entry)).isSymbolicLink()) rmSync(join(dir, entry));
  }
  for (const name of names) {
    const link = join(dir, name);
    if (existsSync(link) || isLink(link)) continue;
    symlinkSync(join(DATA_LINK, name), link);
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function sameContent(dataDir: string, files: VolumeFiles): boolean {
  const listed = listFiles(dataDir);
  const wanted = Object.keys(files);
  if (listed.length !== wanted.length) return false;
  return wanted.every(p => {
    try {
      return readFileSync(join(dataDir, p)).equals(files[p]!.content);
    } catch {
      return false;
    }
  });
}

function listFiles(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(join(dir, e.name), rel));
    else out.push(rel);
  }
  return out;
}
