/**
 * Turns the module entry (pepr.ts) into one runnable file and reads its capabilities.
 * esbuild bundles only our own code (plus the workspace contract package); every npm dependency
 * stays external and loads from node_modules, which makes a build take ~0.2 s and a start ~1 s,
 * against ~5 s for running the TypeScript through tsx.
 */
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { build, type Plugin } from "esbuild";
import type { ExportedCapability } from "./webhook-config.js";

const ownWorkspaces = "@kubeedge-ts/";

const externalPackages: Plugin = {
  name: "external-packages",
  setup(b): void {
    b.onResolve({ filter: /^[^./]/ }, args =>
      args.path.startsWith(ownWorkspaces) ? undefined : { path: args.path, external: true },
    );
  },
};

/**
 * Bundles `entry` into node_modules/.cache under `root`, so the external imports resolve from
 * the project's node_modules. Returns the bundle's path.
 */
export async function bundleModule(root: string, entry: string): Promise<string> {
  const dir = join(root, "node_modules", ".cache", "kubeedge-ts");
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `pepr-module-${process.pid}-${randomBytes(4).toString("hex")}.mjs`);
  try {
    await build({
      absWorkingDir: root,
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      // Workspace packages expose TypeScript sources under "source"; bundle those, not dist/.
      conditions: ["source"],
      sourcemap: "inline",
      keepNames: true,
      logLevel: "silent",
      plugins: [externalPackages],
    });
  } catch (err) {
    throw new Error(`bundling ${entry} failed`, { cause: err });
  }
  return outfile;
}

/**
 * Runs the module in Pepr's build mode, where PeprModule sends its capabilities to the parent
 * over IPC instead of starting a server (the same trick `pepr build` uses).
 */
export function loadCapabilities(
  modulePath: string,
  // A cap, not an expectation: a failing module exits at once, but on a loaded 2-core machine
  // loading the bundle alone took over 30 s.
  timeoutMs = 120_000,
): Promise<ExportedCapability[]> {
  return new Promise((resolve, reject) => {
    let stderr = "";
    const child = fork(modulePath, [], {
      env: { ...process.env, PEPR_MODE: "build", LOG_LEVEL: "warn" },
      execArgv: [], // see spawnModule in module-runner.ts
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    child.stderr?.on("data", c => (stderr = (stderr + String(c)).slice(-4000)));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${modulePath} did not report its capabilities in ${timeoutMs} ms`));
    }, timeoutMs);
    child.once("message", message => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      resolve(message as ExportedCapability[]);
    });
    child.once("error", err => {
      clearTimeout(timer);
      reject(new Error(`loading capabilities from ${modulePath} failed`, { cause: err }));
    });
    child.once("exit", code => {
      clearTimeout(timer);
      reject(new Error(`${modulePath} exited (${code}) before reporting capabilities:\n${stderr}`));
    });
  });
}
