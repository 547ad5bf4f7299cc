/**
 * An image for a Node program, built without Docker: the entry module bundled by esbuild into
 * one file at /app/<bundleFile>, the packages esbuild cannot bundle (native addons) under
 * /app/node_modules, and this machine's node (node-runtime.ts). The entrypoint is
 * `node /app/<bundleFile>`. Mappers and the water-utility edge app are built with it.
 */
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { build } from "esbuild";
import type { ImageConfig, ImageSpec } from "./image-spec.js";
import { type PackageCopy, planPackages, packagesDigest, writePackages } from "./node-packages.js";
import { hostNodeRuntime, installNodeRuntime } from "./node-runtime.js";

export const APP_DIR = "/app";
export const IMAGE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export interface NodeAppImageOptions {
  /** Fully qualified repository, e.g. docker.io/kubeedge-ts/mapper-modbus. */
  name: string;
  tag: string;
  /** The program's entry module (.ts or .js); workspace packages resolve to their sources. */
  entry: string;
  /** File name of the bundle under /app. */
  bundleFile: string;
  /** Packages left out of the bundle and copied with their dependencies (native addons). */
  nativePackages?: string[];
  /** Dependencies of those packages that only their build needs (node-gyp, nan, …). */
  skipDependencies?: string[];
  env?: Record<string, string>;
  /** A user name from USERS below, or uid[:gid]. */
  user?: string;
  exposedPorts?: string[];
  labels?: Record<string, string>;
  /** Extra bytes to write into the rootfs, by absolute path. */
  files?: Record<string, string>;
}

/**
 * The image's /etc/passwd and /etc/group: `node` (1000) as in the official node images, in
 * `dialout` (20) so it can open serial ports (Debian's group for them), and nobody.
 */
const PASSWD = [
  "root:x:0:0:root:/root:/bin/false",
  "node:x:1000:1000::/home/node:/bin/false",
  "nobody:x:65534:65534:nobody:/nonexistent:/bin/false",
  "",
].join("\n");
const GROUP = ["root:x:0:", "dialout:x:20:node", "node:x:1000:", "nogroup:x:65534:", ""].join("\n");

/** The esbuild options of a bundle: one ESM file for Node 20, native packages left out. */
export function bundleOptions(opts: Pick<NodeAppImageOptions, "entry" | "nativePackages">) {
  return {
    entryPoints: [opts.entry],
    bundle: true,
    platform: "node" as const,
    format: "esm" as const,
    target: "node20",
    // Workspace packages export their TypeScript sources under "source": no tsc needed first.
    conditions: ["source"],
    minify: true,
    keepNames: true,
    external: opts.nativePackages ?? [],
    // Bundled CommonJS dependencies call require for Node built-ins.
    banner: {
      js: "import { createRequire as __appRequire } from 'node:module'; const require = __appRequire(import.meta.url);",
    },
    write: false,
    logLevel: "warning" as const,
  };
}

/** The image config every Node app image shares, plus the app's own settings. */
export function nodeAppConfig(
  opts: Pick<NodeAppImageOptions, "bundleFile" | "env" | "user" | "exposedPorts" | "labels">,
): ImageConfig {
  return {
    entrypoint: ["node", `${APP_DIR}/${opts.bundleFile}`],
    env: { PATH: IMAGE_PATH, ...opts.env },
    workingDir: APP_DIR,
    ...(opts.user !== undefined ? { user: opts.user } : {}),
    ...(opts.exposedPorts !== undefined ? { exposedPorts: opts.exposedPorts } : {}),
    ...(opts.labels !== undefined ? { labels: opts.labels } : {}),
  };
}

function writeFile(rootfs: string, path: string, content: string | Uint8Array, mode = 0o644) {
  const target = join(rootfs, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, content);
  chmodSync(target, mode);
}

/** What goes under /app: the bundle and the packages left out of it. */
export interface AppFiles {
  bundle: Uint8Array;
  packages: PackageCopy[];
}

/** Bundles the program and finds the packages to ship beside it. */
export async function prepareApp(opts: NodeAppImageOptions): Promise<AppFiles> {
  const result = await build(bundleOptions(opts));
  return {
    bundle: result.outputFiles![0]!.contents,
    packages: planPackages(opts.nativePackages ?? [], dirname(opts.entry), opts.skipDependencies),
  };
}

/** Writes the app folder (the image's /app; the Dockerfiles run this through write-app.ts). */
export function writeApp(app: AppFiles, bundleFile: string, appDir: string): void {
  mkdirSync(appDir, { recursive: true });
  writeFileSync(join(appDir, bundleFile), app.bundle);
  writePackages(app.packages, appDir);
}

const shortDigest = (data: string | Uint8Array): string =>
  createHash("sha256").update(data).digest("hex").slice(0, 16);

/** Bundles the program now (its digest keys the cache) and returns the image to build. */
export async function nodeAppImage(opts: NodeAppImageOptions): Promise<ImageSpec> {
  const app = await prepareApp(opts);
  const runtime = await hostNodeRuntime();
  const extra = opts.files ?? {};
  return {
    name: opts.name,
    tag: opts.tag,
    inputs: [
      `bundle ${shortDigest(app.bundle)}`,
      `packages ${packagesDigest(app.packages)}`,
      ...runtime.inputs,
      ...Object.entries(extra).map(([p, c]) => `${p} ${shortDigest(c)}`),
    ],
    config: nodeAppConfig(opts),
    rootfs: async dir => {
      installNodeRuntime(runtime, dir);
      writeFile(dir, "/etc/passwd", PASSWD);
      writeFile(dir, "/etc/group", GROUP);
      mkdirSync(join(dir, "tmp"), { recursive: true });
      chmodSync(join(dir, "tmp"), 0o1777);
      mkdirSync(join(dir, "home/node"), { recursive: true });
      writeApp(app, opts.bundleFile, join(dir, APP_DIR));
      for (const [path, content] of Object.entries(extra)) writeFile(dir, path, content);
    },
  };
}
