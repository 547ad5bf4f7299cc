/**
 * `pepr build`'s output for this module: the manifest (pepr-module-<uuid>.yaml: Deployments,
 * Services, Secrets, the scoped RBAC, webhook configurations) and the module bundle
 * (pepr-<uuid>.cjs) the controller image runs. `init` deploys it, the scoped-RBAC e2e takes the
 * module's identity from it. The build type-checks the whole project with tsc first — minutes on
 * a loaded 2-core machine — so it is cached and rebuilt only when a module source is newer.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { withFileLock } from "./file-lock.js";
import { moduleName, REPO_ROOT } from "./module-runner.js";

export const PEPR_BUILD_TIMEOUT_MS = 600_000;

// pepr build resolves the module's imports from the project's node_modules: build inside it.
const BUILD_DIR = join(REPO_ROOT, "node_modules", ".cache", "kubeedge-ts", "pepr-build");
const BUILD_INPUTS = ["package.json", "pepr.ts", "capabilities", "crds", "contract/src"];

export interface PeprBuild {
  /** The manifest `pepr deploy` would apply. */
  manifestFile: string;
  /** The module bundle, gzipped into the manifest's module Secret. */
  moduleFile: string;
  /** True when the build ran now, false when it came from the cache. */
  built: boolean;
}

/** Newest modification time under `path` (a file or a folder). */
function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map(f => newest(join(path, f))));
}

function outputFiles(dir: string): { manifestFile: string; moduleFile: string } {
  const name = moduleName();
  return {
    manifestFile: join(dir, `${name.replace(/^pepr-/, "pepr-module-")}.yaml`),
    moduleFile: join(dir, `${name}.cjs`),
  };
}

async function runPeprBuild(progress: (line: string) => void): Promise<void> {
  // Build beside the cache and move it in whole, so a reader never sees half an output.
  const partial = `${BUILD_DIR}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  progress("running pepr build (type-checks the project first: a few minutes)");
  const t0 = Date.now();
  const seconds = (): string => ((Date.now() - t0) / 1000).toFixed(0);
  const ticker = setInterval(() => progress(`pepr build: ${seconds()}s so far`), 30_000);
  try {
    const out = await promisify(execFile)("npx", ["pepr", "build", "--output", partial], {
      cwd: REPO_ROOT,
      timeout: PEPR_BUILD_TIMEOUT_MS,
      maxBuffer: 64 * 1024 * 1024,
    });
    const files = outputFiles(partial);
    // pepr build exits 0 even when it fails to load the module.
    if (!existsSync(files.manifestFile) || !existsSync(files.moduleFile)) {
      const output = `${out.stdout}\n${out.stderr}`.slice(-4000);
      throw new Error(`pepr build wrote no ${files.manifestFile}:\n${output}`);
    }
    rmSync(BUILD_DIR, { recursive: true, force: true });
    renameSync(partial, BUILD_DIR);
  } finally {
    clearInterval(ticker);
    rmSync(partial, { recursive: true, force: true });
  }
  progress(`pepr build done in ${seconds()}s`);
}

function isFresh(files: { manifestFile: string; moduleFile: string }): boolean {
  const inputs = Math.max(...BUILD_INPUTS.map(p => newest(join(REPO_ROOT, p))));
  return (
    existsSync(files.manifestFile) &&
    existsSync(files.moduleFile) &&
    statSync(files.manifestFile).mtimeMs >= inputs
  );
}

/**
 * The cached build, rebuilt first when a module source changed since. One build at a time on
 * the machine: a second caller (another e2e file, another init) waits and then finds the build
 * fresh, instead of replacing it with another one (new TLS material: the first caller's second
 * `init` would then change the cluster).
 */
export async function peprBuild(progress: (line: string) => void = () => {}): Promise<PeprBuild> {
  const files = outputFiles(BUILD_DIR);
  mkdirSync(dirname(BUILD_DIR), { recursive: true });
  return withFileLock(
    `${BUILD_DIR}.lock`,
    () => progress("waiting for another pepr build of this checkout"),
    async () => {
      const fresh = isFresh(files);
      if (!fresh) await runPeprBuild(progress);
      return { ...files, built: !fresh };
    },
  );
}
