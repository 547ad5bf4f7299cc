/**
 * The npm packages an app image ships beside its bundle: those esbuild cannot bundle (native
 * addons loaded by computed paths, like serialport's bindings or noble's HCI socket) with their
 * runtime `dependencies`, laid out as a node_modules tree, minus what only a build needs
 * (C sources, object files, other platforms' prebuilt binaries, docs, type declarations).
 */
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

export interface PackageCopy {
  name: string;
  version: string;
  /** The package's folder on this machine. */
  source: string;
  /** Its folder relative to the image's app folder, e.g. node_modules/debug. */
  target: string;
  /** Files to copy, relative to source. */
  files: string[];
}

/** The platform folder of node-gyp-build / prebuildify binaries for this image. */
const PREBUILD_PLATFORM = `${process.platform}-${process.arch}`;

const DROPPED_EXTENSIONS = /\.(md|markdown|ts|map|cc|cpp|c|h|hpp|gyp|gypi|mk|o|a|d|tlog|yml)$/i;
const DROPPED_DIRS = new Set([
  "test",
  "tests",
  "__tests__",
  "example",
  "examples",
  "docs",
  ".github",
  "obj.target",
  ".deps",
  "deps",
]);

/** Whether a file of a package (path relative to its folder) is needed at run time. */
export function keepPackageFile(rel: string): boolean {
  const parts = rel.split("/");
  if (parts.some(p => DROPPED_DIRS.has(p))) return false;
  const prebuilds = parts.indexOf("prebuilds");
  if (prebuilds >= 0 && parts[prebuilds + 1] !== undefined && parts.length > prebuilds + 2) {
    if (parts[prebuilds + 1] !== PREBUILD_PLATFORM) return false;
  }
  if (rel.endsWith(".d.ts")) return false;
  if (parts.at(-1) === "Makefile" || parts.at(-1) === "config.gypi") return false;
  return !DROPPED_EXTENSIONS.test(rel);
}

function walk(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") out.push(...walk(path, base));
    } else if (entry.isFile()) {
      out.push(relative(base, path));
    }
  }
  return out.sort();
}

/** The folder of package `name` as Node resolves it from `from` (walking up node_modules). */
export function findPackage(name: string, from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dirname(dir) === dir) throw new Error(`package ${name} not found from ${from}`);
  }
}

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
}

/**
 * The packages to copy for `names`, resolved from `from`, with their dependency closure. A
 * dependency goes to the top-level node_modules unless another version holds that name, then
 * under its dependent's node_modules (as npm would nest it). `skip` names build-time-only
 * dependencies (node-gyp, nan, …) that some addons list as runtime ones.
 */
export function planPackages(names: string[], from: string, skip: string[] = []): PackageCopy[] {
  const copies: PackageCopy[] = [];
  const top = new Map<string, string>();
  const visit = (name: string, resolveFrom: string, parentTarget: string): void => {
    if (skip.includes(name)) return;
    const source = findPackage(name, resolveFrom);
    if (copies.some(c => c.source === source)) return;
    const manifest = JSON.parse(readFileSync(join(source, "package.json"), "utf8")) as Manifest;
    const taken = top.get(name);
    const target =
      taken === undefined || taken === source
        ? `node_modules/${name}`
        : `${parentTarget}/node_modules/${name}`;
    if (taken === undefined) top.set(name, source);
    copies.push({
      name,
      version: manifest.version,
      source,
      target,
      files: walk(source).filter(keepPackageFile),
    });
    for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep, source, target);
  };
  for (const name of names) visit(name, from, "");
  return copies;
}

/** A digest of the copied files' contents, for the image's cache key. */
export function packagesDigest(copies: PackageCopy[]): string {
  const hash = createHash("sha256");
  for (const c of copies) {
    hash.update(`${c.target}@${c.version}\n`);
    for (const f of c.files) hash.update(f).update(readFileSync(join(c.source, f)));
  }
  return hash.digest("hex").slice(0, 16);
}

/** Copies the planned packages under `appDir` (their targets are relative to it). */
export function writePackages(copies: PackageCopy[], appDir: string): void {
  for (const pkg of copies) {
    for (const file of pkg.files) {
      const target = join(appDir, pkg.target, file);
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(join(pkg.source, file), target);
    }
  }
}
