/**
 * Finds or builds the Kubernetes binaries: the control plane, kubectl, and kubelet + kube-proxy
 * for the optional cloud worker node. The build (build-binaries.sh) compiles etcd and
 * Kubernetes from the Go module proxy once per version and caches them under
 * ~/.cache/kubeedge-ts, because no Docker engine (kind, k3d) exists on our machines. A cache
 * from before kubelet/kube-proxy is completed with only those two.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const K8S_VERSION = "1.34.4";
export const ETCD_VERSION = "3.6.16";
export const BINARIES = [
  "etcd",
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
  "kubectl",
  "kubelet",
  "kube-proxy",
];

const BUILD_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "build-binaries.sh");

export function cacheRoot(): string {
  return process.env.KUBEEDGE_TS_CACHE ?? join(homedir(), ".cache", "kubeedge-ts");
}

export function binDir(): string {
  return join(cacheRoot(), "bin", `k8s-v${K8S_VERSION}-etcd-v${ETCD_VERSION}`);
}

export function binariesPresent(dir = binDir()): boolean {
  return BINARIES.every(b => existsSync(join(dir, b)));
}

export class MissingGoError extends Error {
  constructor() {
    super(
      "the control-plane binaries are not built yet and no Go toolchain was found on PATH. " +
        "Install Go >= 1.24 (e.g. `apt-get install golang-go`, or from go.dev) and run the " +
        "command again; the first build compiles etcd and Kubernetes once (10-25 min) and " +
        `caches them in ${binDir()}. Alternatively set KUBEEDGE_TS_BIN_DIR to a folder that ` +
        `already holds ${BINARIES.join(", ")}.`,
    );
    this.name = "MissingGoError";
  }
}

function goAvailable(): boolean {
  return spawnSync("go", ["version"], { stdio: "ignore" }).status === 0;
}

/** Returns the folder holding the binaries, building them first if needed (with progress). */
export async function ensureBinaries(progress: (line: string) => void): Promise<string> {
  const override = process.env.KUBEEDGE_TS_BIN_DIR;
  if (override) {
    if (!binariesPresent(override)) {
      throw new Error(`KUBEEDGE_TS_BIN_DIR=${override} lacks one of ${BINARIES.join(", ")}`);
    }
    return override;
  }
  if (binariesPresent()) return binDir();
  if (!goAvailable()) throw new MissingGoError();
  const missing = BINARIES.filter(b => !existsSync(join(binDir(), b)));
  progress(
    `building ${missing.join(", ")} (etcd v${ETCD_VERSION}, Kubernetes v${K8S_VERSION}) from ` +
      "the Go module proxy (first time only; 10-25 minutes on 2 cores, ~1 min per binary " +
      "with a warm Go cache)",
  );
  await new Promise<void>((resolve, reject) => {
    const child = spawn("bash", [BUILD_SCRIPT], {
      env: { ...process.env, K8S_VERSION, ETCD_VERSION, KUBEEDGE_TS_CACHE: cacheRoot() },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const forward = (chunk: Buffer): void => {
      for (const line of chunk.toString().split("\n")) if (line.trim()) progress(line);
    };
    child.stdout.on("data", forward);
    child.stderr.on("data", forward);
    child.on("error", reject);
    child.on("exit", code =>
      code === 0 ? resolve() : reject(new Error(`control-plane build failed (exit ${code})`)),
    );
  });
  if (!binariesPresent()) throw new Error(`build finished but binaries are missing in ${binDir()}`);
  return binDir();
}
