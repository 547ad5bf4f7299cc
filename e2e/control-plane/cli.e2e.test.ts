import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { testCluster } from "../harness.js";
import { processesMentioning, runToEnd, type RunResult } from "@kubeedge-ts/testkit";

const CLI = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "bin", "kubeedge-ts.mjs");

function cli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<RunResult> {
  return runToEnd(process.execPath, [CLI, ...args], { env });
}

function listen(): Promise<{ server: Server; port: number }> {
  return new Promise(resolve => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const a = server.address();
      resolve({ server, port: typeof a === "object" && a ? a.port : 0 });
    });
  });
}

// The harness already built the binaries; point the CLI at the same cache.
const binEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  KUBEEDGE_TS_BIN_DIR: testCluster().binDir,
});

describe("kubeedge-ts cluster CLI", () => {
  it("runs up, status, node-identity and down, and leaves no process behind", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kubeedge-ts-cli-"));
    try {
      const up = await cli(["cluster", "up", "--dir", dir], binEnv());
      expect(up.code, up.stderr).toBe(0);
      expect(up.stdout).toMatch(/ready in \d+\.\ds/);
      expect(existsSync(join(dir, "admin.kubeconfig"))).toBe(true);

      const status = await cli(["cluster", "status", "--dir", dir], binEnv());
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/kube-scheduler\s+running/);
      expect(status.stdout).toMatch(/ready/);

      const id = await cli(["cluster", "node-identity", "edge-7", "--dir", dir], binEnv());
      expect(id.code).toBe(0);
      expect(readFileSync(join(dir, "edge-7.kubeconfig"), "utf8")).toContain("system:node:edge-7");
    } finally {
      const down = await cli(["cluster", "down", "--dir", dir], binEnv());
      expect(down.code).toBe(0);
      expect(down.stdout).toMatch(
        /stopped kube-scheduler, kube-controller-manager, kube-apiserver, etcd/,
      );
    }
    expect(processesMentioning(dir)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });

  it("refuses a port that is in use, says what to do, and starts nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kubeedge-ts-cli-"));
    const { server, port } = await listen();
    try {
      const up = await cli(["cluster", "up", "--dir", dir, "--port", String(port)], binEnv());
      expect(up.code).not.toBe(0);
      expect(up.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(up.stderr).toContain("pass --port <another port>");
      expect(processesMentioning(dir)).toEqual([]);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("explains how to get Go when the binaries must be built and no Go toolchain exists", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kubeedge-ts-cli-"));
    const emptyCache = mkdtempSync(join(tmpdir(), "kubeedge-ts-cache-"));
    // An empty PATH: the CLI itself is started by absolute path, so only `go` goes missing.
    const emptyPath = mkdtempSync(join(tmpdir(), "kubeedge-ts-path-"));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KUBEEDGE_TS_CACHE: emptyCache,
      PATH: emptyPath,
    };
    delete env.KUBEEDGE_TS_BIN_DIR;
    const up = await cli(["cluster", "up", "--dir", dir], env);
    expect(up.code).not.toBe(0);
    expect(up.stderr).toMatch(/no Go toolchain was found on PATH/);
    expect(up.stderr).toMatch(/Install Go >= 1\.24/);
    expect(processesMentioning(dir)).toEqual([]);
    for (const d of [dir, emptyCache, emptyPath]) rmSync(d, { recursive: true, force: true });
  });
});
