import { describe, expect, it } from "vitest";
import { runToEnd } from "./run-to-end.js";

describe("runToEnd", () => {
  it("collects stdout and stderr apart, with the exit code", async () => {
    const r = await runToEnd("sh", ["-c", "echo out; echo err >&2; exit 3"]);
    expect(r).toEqual({ code: 3, stdout: "out\n", stderr: "err\n" });
  });

  it("feeds input on stdin and passes the environment given", async () => {
    const r = await runToEnd("sh", ["-c", 'cat; printf "%s" "$GREETING"'], {
      input: "piped\n",
      env: { PATH: process.env.PATH, GREETING: "hi" },
    });
    expect(r.stdout).toBe("piped\nhi");
  });

  it("gives -1 when a signal ends the process", async () => {
    expect((await runToEnd("sh", ["-c", "kill -9 $$"])).code).toBe(-1);
  });

  it("rejects when the command does not exist", async () => {
    await expect(runToEnd("/nonexistent/kubeedge-ts-cmd", [])).rejects.toThrow(/ENOENT/);
  });
});
