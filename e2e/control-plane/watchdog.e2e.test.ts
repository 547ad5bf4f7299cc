import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { eventually, testCluster } from "../harness.js";
import { processesMentioning } from "@kubeedge-ts/testkit";

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "start-and-hang.ts");

describe("control plane owned by a test run", () => {
  it("is stopped and removed when the run is killed with SIGKILL", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "kubeedge-ts-owner-")), "cp");
    const child = spawn(process.execPath, ["--import", "tsx", FIXTURE, dir, testCluster().binDir], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    await eventually(
      "the owned control plane to be ready",
      () =>
        new Promise<boolean>(resolve =>
          child.stdout.once("data", d => resolve(String(d).includes("READY"))),
        ),
      90_000,
    );
    expect(processesMentioning(dir).length).toBeGreaterThanOrEqual(4);
    child.kill("SIGKILL");
    await eventually(
      "every control-plane process to be gone",
      async () => processesMentioning(dir).length === 0,
      30_000,
    );
    expect(existsSync(dir)).toBe(false);
    rmSync(dirname(dir), { recursive: true, force: true });
  });
});
