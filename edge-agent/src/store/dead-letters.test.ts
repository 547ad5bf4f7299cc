import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openDatabase } from "./database.js";
import { registerDeadLetterCommands } from "./dead-letters-command.js";
import { Outbox, OutboxKind } from "./outbox.js";

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("dead letters", () => {
  it("a retried dead letter goes before newer reports, so it never overwrites them", () => {
    const outbox = new Outbox(openDatabase(":memory:"));
    const old = outbox.enqueue(OutboxKind.DeviceStatus, "plant/meter", { v: 1 });
    outbox.take();
    outbox.deadLetter(old, new Error("webhook refused"));
    outbox.enqueue(OutboxKind.DeviceStatus, "plant/meter", { v: 2 });
    expect(outbox.retryDeadLetter(old)).toBe(true);
    expect(outbox.peek().map(e => e.payload)).toEqual([{ v: 1 }, { v: 2 }]);
    expect(outbox.peek()[0]).toMatchObject({ seq: old, attempts: 0 });
    expect(outbox.deadLetterCount()).toBe(0);
    expect(outbox.retryDeadLetter(old)).toBe(false);
  });

  it("kubeedge-edge dead-letters list, retry and drop work on the agent's database", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dead-letters-"));
    dirs.push(dir);
    const db = openDatabase(join(dir, "edge.db"));
    const outbox = new Outbox(db);
    for (const key of ["a", "b"]) {
      const seq = outbox.enqueue(OutboxKind.Event, key, { reason: key });
      outbox.take();
      outbox.deadLetter(seq, new Error(`refused ${key}`));
    }
    const out: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation(chunk => {
      out.push(String(chunk));
      return true;
    });
    const run = async (...args: string[]): Promise<void> => {
      const program = new Command().exitOverride();
      registerDeadLetterCommands(program);
      await program.parseAsync(["dead-letters", ...args, "--data-dir", dir], { from: "user" });
    };
    await run("list");
    expect(out.map(l => JSON.parse(l).key)).toEqual(["a", "b"]);
    expect(JSON.parse(out[0]).lastError).toBe("refused a");
    out.length = 0;
    await run("retry", String(outbox.deadLetters()[0].seq));
    await run("drop", "all");
    expect(out).toHaveLength(2);
    expect(outbox.deadLetterCount()).toBe(0);
    expect(outbox.peek().map(e => e.key)).toEqual(["a"]);
    db.close();
  });
});
