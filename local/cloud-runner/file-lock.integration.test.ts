/**
 * withFileLock over a real flock(1): one holder at a time across callers, and a holder whose
 * process is killed leaves the lock free (nothing stale to clean up).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eventually } from "@kubeedge-ts/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { withFileLock } from "./file-lock.js";

const dir = mkdtempSync(join(tmpdir(), "kubeedge-ts-file-lock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>(r => (resolve = r));
  return { promise, resolve };
}

describe("withFileLock", () => {
  it("lets a second caller in only after the first one is done", async () => {
    const lock = join(dir, "one-at-a-time.lock");
    const events: string[] = [];
    const aIn = deferred();
    const aDone = deferred();
    const a = withFileLock(
      lock,
      () => events.push("a waited"),
      async () => {
        events.push("a in");
        aIn.resolve();
        await aDone.promise;
        events.push("a out");
      },
    );
    await aIn.promise;
    let bWaited = false;
    const b = withFileLock(
      lock,
      () => (bWaited = true),
      async () => void events.push("b in"),
    );
    await eventually("the second caller to wait", () => bWaited, 20_000);
    expect(events).toEqual(["a in"]);
    aDone.resolve();
    await Promise.all([a, b]);
    expect(events).toEqual(["a in", "a out", "b in"]);
  });

  it("is free again once a holder's process is killed", async () => {
    const lock = join(dir, "killed-holder.lock");
    const module = fileURLToPath(new URL("./file-lock.ts", import.meta.url));
    const holder = spawn(
      process.execPath,
      [
        ...["--import", "tsx", "--input-type=module", "-e"],
        `import { withFileLock } from ${JSON.stringify(module)};
         await withFileLock(${JSON.stringify(lock)}, () => {}, async () => {
           console.log("holding");
           await new Promise(() => setInterval(() => {}, 60_000));
         });`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    holder.stdout.on("data", d => (out += String(d)));
    await eventually("the other process to hold the lock", () => out.includes("holding"), 30_000);
    let waited = false;
    const mine = withFileLock(
      lock,
      () => (waited = true),
      async () => "in",
    );
    await eventually("this caller to wait for the holder", () => waited, 20_000);
    holder.kill("SIGKILL");
    await expect(mine).resolves.toBe("in");
  }, 60_000);
});
