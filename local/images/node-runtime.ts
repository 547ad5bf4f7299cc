/**
 * The Node runtime of the app images: this machine's own `node` binary plus the shared libraries
 * `ldd` names for it (glibc, libstdc++, libgcc_s and the dynamic loader), nothing else. The
 * binary the project already runs on is the one tested; Debian's nodejs package would instead
 * pull libnode, libuv, OpenSSL, ICU, c-ares and friends as separate libraries, larger in sum.
 * The image therefore has the build machine's architecture (see image-spec.ts).
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const execFileP = promisify(execFile);

/** Where the image keeps node, on the PATH like the official node images. */
export const IMAGE_NODE_PATH = "/usr/local/bin/node";

export interface NodeRuntime {
  /** The binary copied to IMAGE_NODE_PATH. */
  binary: string;
  version: string;
  /** Absolute paths of the libraries it loads, as ldd names them (kept at the same paths). */
  libraries: string[];
  /** Content digests of all of the above, for the image's cache key. */
  inputs: string[];
}

/** The library paths of `ldd` output: `libc.so.6 => /lib/…/libc.so.6 (0x…)` and the loader. */
export function parseLdd(output: string): string[] {
  const paths: string[] = [];
  for (const line of output.split("\n")) {
    const m = /^\s*(?:\S+\s+=>\s+)?(\/\S+)\s+\(0x[0-9a-f]+\)\s*$/.exec(line);
    if (m) paths.push(m[1]!);
  }
  return paths;
}

const digest = (file: string): string =>
  createHash("sha256").update(readFileSync(file)).digest("hex").slice(0, 16);

/** The runtime of the node binary running this process (or another one given by path). */
export async function hostNodeRuntime(binary = process.execPath): Promise<NodeRuntime> {
  const real = realpathSync(binary);
  const [{ stdout: version }, { stdout: ldd }] = await Promise.all([
    execFileP(real, ["--version"]),
    execFileP("ldd", [real]),
  ]);
  const libraries = parseLdd(ldd);
  if (!libraries.some(l => l.includes("ld-linux"))) {
    throw new Error(`ldd ${real} named no dynamic loader:\n${ldd}`);
  }
  return {
    binary: real,
    version: version.trim(),
    libraries,
    inputs: [`node ${version.trim()} ${digest(real)}`, ...libraries.map(l => `${l} ${digest(l)}`)],
  };
}

/** Copies node and its libraries into an image's rootfs. */
export function installNodeRuntime(runtime: NodeRuntime, rootfs: string): void {
  const node = join(rootfs, IMAGE_NODE_PATH);
  mkdirSync(dirname(node), { recursive: true });
  copyFileSync(runtime.binary, node);
  chmodSync(node, 0o755);
  for (const lib of runtime.libraries) {
    const target = join(rootfs, lib);
    mkdirSync(dirname(target), { recursive: true });
    // The library's real file (ldd names symlinks such as libstdc++.so.6), under ldd's name.
    copyFileSync(realpathSync(lib), target);
    chmodSync(target, 0o755);
  }
}
