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
  /** Every PID the run's control plane wrote to its pids/ folder while the demo ran. */
  controlPlanePids: Set<number>;
}

/** `script` gives the demo a pseudo-terminal, as a user's shell does: the live view redraws. */
function onPty(cmd: string, args: string[]): [string, string[]] {
  const line = [cmd, ...args].map(a => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
  return ["script", ["-qefc", line, "/dev/null"]];
}

function runDemo(dir: string, args: string[] = [], pty = false): Promise<DemoRun> {
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
    const demo: [string, string[]] = [process.execPath, [CLI, "demo", "--dir", dir, ...args]];
    const [cmd, argv] = pty ? onPty(...demo) : demo;
    const child = spawn(cmd, argv, {
      env: { ...process.env, KUBEEDGE_TS_BIN_DIR: testCluster().binDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const onData = (c: Buffer): void => {
      out += c.toString();
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", reject);
    child.on("close", code => {
      clearInterval(collect);
      resolve({ code: code ?? -1, out, controlPlanePids: pids });
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
  it("runs the water utility: mapper and app pods on edge-1, every device reporting, the valve set", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kubeedge-ts-demo-"));
    const result = await runDemo(dir, ["--exit-after-report", "--exit-after", "5"], true);
    expect(result.code, result.out).toBe(0);
    expect(result.out).toContain("kubectl apply: deployment.apps/water-utility created");
    expect(result.out).toMatch(/Device default\/reservoir-level reports level=\d+(\.\d+)?/);
    expect(result.out).toMatch(/Device default\/line-pressure reports pressure=\d+(\.\d+)?/);
    expect(result.out).toMatch(/Device default\/outlet-valve reports .*position=\d+/);
    // The app overrides the cloud's 30 at the edge as soon as it has a level: either may be held.
    expect(result.out).toMatch(
      /desired position=\d+ \((the cloud's|set at the edge by the water-utility app)\) reached the valve's holding register/,
    );
    expect(result.out).toMatch(/KUBECONFIG=\S+admin\.kubeconfig \S+kubectl get devices/);
    // On a terminal the view is redrawn in place: cleared, then the table with every device.
    const frames = result.out.split("\x1b[H\x1b[2J").slice(1);
    expect(frames.length, result.out).toBeGreaterThanOrEqual(2);
    for (const name of ["reservoir-level", "line-pressure", "outlet-valve"]) {
      expect(frames.at(-1)).toContain(name);
    }
    expect(leftovers(dir), result.out).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  }, 600_000);

  it("stops everything it started when a step fails, and says why", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kubeedge-ts-demo-dies-"));
    // A node name Kubernetes refuses: the step that mints the node's identity fails.
    const result = await runDemo(dir, ["--node", "Edge_1", "--exit-after", "60"]);
    expect(result.code, result.out).not.toBe(0);
    expect(result.out).toContain("error: node name 'Edge_1' is not a valid DNS subdomain");
    expect(result.out).not.toMatch(/reports level=/);
    // etcd, kube-apiserver, controller-manager and scheduler of this run are gone.
    expect(result.controlPlanePids.size, result.out).toBe(4);
    expect([...result.controlPlanePids].filter(running)).toEqual([]);
    expect(leftovers(dir), result.out).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  }, 600_000);
});
