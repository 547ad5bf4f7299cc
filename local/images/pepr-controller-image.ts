/**
 * The image `pepr build` names in its Deployments (ghcr.io/defenseunicorns/pepr/controller:
 * v<pepr version>), built here because no registry is reachable: the PINNED pepr package from
 * node_modules with its production dependency tree under /app/node_modules, as Pepr's own image
 * lays it out, and this machine's node (node-runtime.ts) as the entrypoint.
 *
 * The Deployments run `node /app/node_modules/pepr/dist/controller.js <hash>` as uid/gid 65532
 * with the module Secret mounted at /app/load; the controller unzips the module to
 * /app/module-<hash>.js and forks it, so /app belongs to 65532. The module bundle's own
 * `require`s (pepr, kubernetes-fluent-client, @kubernetes/client-node: what pepr build leaves
 * external) resolve from /app/node_modules.
 */
import { builtinModules } from "node:module";
import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ImageConfig, ImageSpec } from "./image-spec.js";
import { IMAGE_PATH } from "./node-app-image.js";
import { findPackage, packagesDigest, planPackages, writePackages } from "./node-packages.js";
import { hostNodeRuntime, installNodeRuntime } from "./node-runtime.js";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");

export const PEPR_CONTROLLER_REPOSITORY = "ghcr.io/defenseunicorns/pepr/controller";
/** The uid and gid `pepr build`'s Deployments run the controller as (distroless' nonroot). */
export const PEPR_CONTROLLER_UID = 65532;
const APP = "/app";

/** The pepr version installed in the project (package-lock pins it). */
export function peprVersion(root = REPO_ROOT): string {
  const pkg = JSON.parse(readFileSync(join(findPackage("pepr", root), "package.json"), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

/** The reference `pepr build` writes into the Deployments for this pepr version. */
export const peprControllerImageRef = (version = peprVersion()): string =>
  `${PEPR_CONTROLLER_REPOSITORY}:v${version}`;

export function peprControllerConfig(): ImageConfig {
  return {
    // The Deployments give only `args` (controller.js and the module hash): node runs them.
    entrypoint: ["node"],
    env: { PATH: IMAGE_PATH, NODE_ENV: "production" },
    workingDir: APP,
    user: `${PEPR_CONTROLLER_UID}:${PEPR_CONTROLLER_UID}`,
  };
}

const PASSWD = [
  "root:x:0:0:root:/root:/bin/false",
  `nonroot:x:${PEPR_CONTROLLER_UID}:${PEPR_CONTROLLER_UID}:nonroot:${APP}:/bin/false`,
  "",
].join("\n");
const GROUP = ["root:x:0:", `nonroot:x:${PEPR_CONTROLLER_UID}:`, ""].join("\n");

function writeEtc(rootfs: string): void {
  mkdirSync(join(rootfs, "etc"), { recursive: true });
  writeFileSync(join(rootfs, "etc/passwd"), PASSWD);
  writeFileSync(join(rootfs, "etc/group"), GROUP);
  mkdirSync(join(rootfs, "tmp"), { recursive: true });
  chmodSync(join(rootfs, "tmp"), 0o1777);
}

export async function peprControllerImage(root = REPO_ROOT): Promise<ImageSpec> {
  const version = peprVersion(root);
  const packages = planPackages(["pepr"], root);
  const runtime = await hostNodeRuntime();
  const ref = peprControllerImageRef(version);
  return {
    name: PEPR_CONTROLLER_REPOSITORY,
    tag: ref.slice(PEPR_CONTROLLER_REPOSITORY.length + 1),
    inputs: [`pepr ${version}`, `packages ${packagesDigest(packages)}`, ...runtime.inputs],
    config: peprControllerConfig(),
    rootfs: async dir => {
      installNodeRuntime(runtime, dir);
      writeEtc(dir);
      const app = join(dir, APP);
      writePackages(packages, app);
      // The controller writes the unzipped module beside node_modules.
      chownSync(app, PEPR_CONTROLLER_UID, PEPR_CONTROLLER_UID);
      chmodSync(app, 0o755);
    },
  };
}

/**
 * The packages a CommonJS bundle loads at run time: its `require("x")` calls, without Node's
 * built-ins and without require strings inside string literals (ajv's generated-code snippets).
 */
export function bundleRequires(code: string): string[] {
  const found = new Set<string>();
  for (const m of code.matchAll(/(?<!['"`\w.])require\("([^"]+)"\)/g)) {
    const name = m[1]!;
    if (name.startsWith("node:") || builtinModules.includes(name)) continue;
    found.add(name);
  }
  return [...found].sort();
}
