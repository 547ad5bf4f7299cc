import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { testCluster } from "../harness.js";
import { processesMentioning } from "@kubeedge-ts/testkit";

const CLI = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "bin", "kubeedge-ts.mjs");

describe("kubeedge-ts demo (README's main job)", () => {
  it("carries a simulated device's temperature up to the Device and a desired limit down to it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kubeedge-ts-demo-"));
    const env = { ...process.env, KUBEEDGE_TS_BIN_DIR: testCluster().binDir };
    const result = await new Promise<{ code: number; out: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, "demo", "--dir", dir, "--exit-after-report"], {
        env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      child.stdout.on("data", c => (out += c));
      child.stderr.on("data", c => (out += c));
      child.on("error", reject);
      child.on("close", code => resolve({ code: code ?? -1, out }));
    });
    expect(result.code, result.out).toBe(0);
    expect(result.out).toMatch(/Device default\/thermometer-1 reports temperature=-?\d+/);
    expect(result.out).toMatch(
      /desired temperature-limit=30 reached the device's holding register 1/,
    );
    expect(processesMentioning(dir)).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  }, 300_000);
});
