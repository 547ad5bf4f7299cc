/**
 * Builds an OCI image tarball with umoci (no Docker, no registry) and caches it under
 * ~/.cache/kubeedge-ts/images/<name>-<tag>-<key>.tar, keyed by a digest of the spec and its
 * inputs, so a warm machine skips the build. The tarball's index names the image
 * (io.containerd.image.name), so `ctr images import` needs no --base-name.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { cacheRoot } from "../control-plane/binaries.js";
import { type ImageSpec, imageRef, umociConfigArgs } from "./image-spec.js";

const execFileP = promisify(execFile);

// Bump when the way images are assembled changes, so cached tarballs are rebuilt.
const BUILDER_VERSION = "1";

export interface BuiltImage {
  ref: string;
  tarball: string;
  cached: boolean;
}

export function imagesCacheDir(): string {
  return join(cacheRoot(), "images");
}

export function cacheKey(spec: ImageSpec): string {
  const { name, tag, inputs, config } = spec;
  const recipe = JSON.stringify({ BUILDER_VERSION, name, tag, inputs, config });
  return createHash("sha256").update(recipe).digest("hex").slice(0, 16);
}

/** Adds the name containerd imports the image under to the layout's index.json. */
export function nameIndex(indexJson: string, ref: string): string {
  const index = JSON.parse(indexJson) as {
    manifests: { annotations?: Record<string, string> }[];
  };
  for (const m of index.manifests) {
    m.annotations = { ...m.annotations, "io.containerd.image.name": ref };
  }
  return JSON.stringify(index);
}

async function umoci(args: string[]): Promise<void> {
  await execFileP("umoci", args, { maxBuffer: 16 * 1024 * 1024 });
}

async function assemble(spec: ImageSpec, work: string, tarball: string): Promise<void> {
  const layout = join(work, "layout");
  const bundle = join(work, "bundle");
  const image = `${layout}:${spec.tag}`;
  await umoci(["init", "--layout", layout]);
  await umoci(["new", "--image", image]);
  await umoci(["unpack", "--image", image, bundle]);
  await spec.rootfs(join(bundle, "rootfs"));
  await umoci(["repack", "--image", image, bundle]);
  await umoci(["config", "--image", image, ...umociConfigArgs(spec.config)]);
  await umoci(["gc", "--layout", layout]);
  const indexFile = join(layout, "index.json");
  writeFileSync(indexFile, nameIndex(readFileSync(indexFile, "utf8"), imageRef(spec)));
  const partial = `${tarball}.partial-${process.pid}`;
  await execFileP("tar", ["-C", layout, "-cf", partial, "oci-layout", "index.json", "blobs"]);
  renameSync(partial, tarball);
}

export async function buildImage(
  spec: ImageSpec,
  progress: (line: string) => void = () => undefined,
  cacheDir = imagesCacheDir(),
): Promise<BuiltImage> {
  const ref = imageRef(spec);
  const tarball = join(cacheDir, `${basename(spec.name)}-${spec.tag}-${cacheKey(spec)}.tar`);
  if (existsSync(tarball)) return { ref, tarball, cached: true };
  const t0 = Date.now();
  progress(`building image ${ref}`);
  const work = join(cacheDir, `.build-${basename(tarball, ".tar")}-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    await assemble(spec, work, tarball);
  } catch (err) {
    throw new Error(`building image ${ref} failed`, { cause: err });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  progress(`built image ${ref} in ${((Date.now() - t0) / 1000).toFixed(1)}s: ${tarball}`);
  return { ref, tarball, cached: false };
}
