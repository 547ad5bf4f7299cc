import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { processesMentioning } from "@kubeedge-ts/testkit";
import { testCluster } from "../harness.js";

const CLI = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "bin", "kubeedge-ts.mjs");

interface DemoRun {
  code: number;
  out: string;
  /** Milliseconds from the demo saying it started the mapper to its exit (-1: never said). */
  afterMapperMs: number;
  /** Every PID the run's control plane wrote to its pids/ folder while the demo ran. */
  controlPlanePids: Set<number>;
}

function runDemo(dir: string, env: Record<string, string> = {}): Promise<DemoRun> {
  const pids = new Set<number>();
  const pidDir = join(dir, "cluster", "pids");
  const collect = setInterval(() => {
    if (!existsSync(pidDir)) return;
    for (const f of readdirSync(pidDir)) {
      const pid = Number(readFileSync(join(pidDir, f), "utf8").trim());
      if (pid > 0) pids.add(pid);
    }
  }, 200);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, "demo", "--dir", dir, "--exit-after-report"], {
      env: { ...process.env, KUBEEDGE_TS_BIN_DIR: testCluster().binDir, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let mapperAt = -1;
    const onData = (c: Buffer): void => {
      out += c.toString();
      if (mapperAt < 0 && out.includes("modbus mapper started")) mapperAt = Date.now();
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", reject);
    child.on("close", code => {
      clearInterval(collect);
      const afterMapperMs = mapperAt < 0 ? -1 : Date.now() - mapperAt;
      resolve({ code: code ?? -1, out, afterMapperMs, controlPlanePids: pids });
    });
  });
}

/** Running, not a zombie its new parent has yet to reap (`down` waits for exit, not for that). */
function running(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "")[0];
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

/** The command lines of live processes that mention `dir` (none once the demo has cleaned up). */
function leftovers(dir: string): string[] {
  return processesMentioning(dir).map(pid => {
    try {
      return `${pid}: ${readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ")}`;
    } catch {
      return `${pid}: (gone)`;
    }
  });
}

describe("kubeedge-ts demo (README's main job)", () => {
  it("carries a simulated device's temperature up to the Device and a desired limit down to it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kubeedge-ts-demo-"));
    const result = await runDemo(dir);
    expect(result.code, result.out).toBe(0);
    expect(result.out).toMatch(/Device default\/thermometer-1 reports temperature=-?\d+/);
    expect(result.out).toMatch(
      /desired temperature-limit=30 reached the device's holding register 1/,
    );
    expect(leftovers(dir), result.out).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  }, 300_000);

  it("reports a child that dies at once, with its log, and stops everything it started", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kubeedge-ts-demo-dies-"));
    // A user's stray mapper setting: the mapper refuses to start (exit 2) right away.
    const result = await runDemo(dir, { MAPPER_CONFIG: join(dir, "no-such-mapper.yaml") });
    expect(result.code, result.out).not.toBe(0);
    expect(result.out).toMatch(
      /error: the Modbus mapper exited with code 2; last lines of \S+modbus-mapper\.log:/,
    );
    expect(result.out).toContain("cannot read config file");
    expect(result.out).not.toMatch(/reports temperature=/);
    // Today's 120 s wait for a reported value is gone: the exit is reported as it happens.
    expect(result.afterMapperMs, result.out).toBeGreaterThanOrEqual(0);
    expect(result.afterMapperMs, result.out).toBeLessThan(30_000);
    // etcd, kube-apiserver, controller-manager and scheduler of this run are gone.
    expect(result.controlPlanePids.size, result.out).toBe(4);
    expect([...result.controlPlanePids].filter(running)).toEqual([]);
    expect(leftovers(dir), result.out).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  }, 300_000);
});
