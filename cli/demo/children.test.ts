import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startChild } from "@kubeedge-ts/testkit";
import { ChildWatch, logTail } from "./children.js";

const dir = mkdtempSync(join(tmpdir(), "demo-children-"));

describe("ChildWatch", () => {
  it("fails with the exit code and the log's last lines when a watched child exits", async () => {
    const logFile = join(dir, "dies.log");
    writeFileSync(logFile, Array.from({ length: 30 }, (_, i) => `line ${i}`).join("\n"));
    const watch = new ChildWatch();
    watch.watch({ name: "the mapper", ...startChild("sh", ["-c", "exit 3"]), logFile });
    const err = await watch.failed.catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(
      `the mapper exited with code 3; last lines of ${logFile}:\n` +
        Array.from({ length: 20 }, (_, i) => `line ${i + 10}`).join("\n"),
    );
  });

  it("names the signal of a killed child", async () => {
    const watch = new ChildWatch();
    const child = startChild("sleep", ["60"]);
    watch.watch({ name: "the agent", exited: child.exited });
    child.proc.kill("SIGKILL");
    await expect(watch.failed).rejects.toThrow(/^the agent was killed by SIGKILL$/);
  });

  it("stays quiet about children stopped after disarm()", async () => {
    const watch = new ChildWatch();
    const child = startChild("sleep", ["60"]);
    watch.watch({ name: "the agent", exited: child.exited });
    watch.disarm();
    await child.stop();
    const outcome = await Promise.race([
      watch.failed.then(
        () => "resolved",
        () => "rejected",
      ),
      new Promise(r => setImmediate(() => r("pending"))),
    ]);
    expect(outcome).toBe("pending");
  });
});

describe("logTail", () => {
  it("is empty for a log that does not exist", () => {
    expect(logTail(join(dir, "missing.log"))).toBe("");
  });
});
