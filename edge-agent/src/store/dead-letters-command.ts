/**
 * `kubeedge-edge dead-letters list|retry|drop`: what the cloud refused for good, for an
 * operator. Opens the agent's database beside a running agent (SQLite WAL allows it); a retried
 * entry goes back under its own seq and is sent at the agent's next drain.
 */
import { join } from "node:path";
import type { Command } from "commander";
import { DEFAULT_DATA_DIR } from "../config/defaults.js";
import { openDatabase } from "./database.js";
import { Outbox } from "./outbox.js";

interface Options {
  dataDir: string;
  database?: string;
}

function withOutbox<T>(o: Options, fn: (outbox: Outbox) => T): T {
  const db = openDatabase(o.database ?? join(o.dataDir, "edge.db"));
  try {
    return fn(new Outbox(db));
  } finally {
    db.close();
  }
}

/** The seqs an argument names: a number, or `all` for every dead letter. */
function seqsOf(outbox: Outbox, arg: string): number[] {
  if (arg === "all") return outbox.deadLetters(Number.MAX_SAFE_INTEGER).map(e => e.seq);
  const seq = Number(arg);
  if (!Number.isInteger(seq)) throw new Error(`"${arg}" is neither a seq nor "all"`);
  return [seq];
}

function act(verb: "retry" | "drop", arg: string, o: Options): void {
  withOutbox(o, outbox => {
    for (const seq of seqsOf(outbox, arg)) {
      const done = verb === "retry" ? outbox.retryDeadLetter(seq) : outbox.dropDeadLetter(seq);
      if (!done) {
        process.exitCode = 1;
        process.stderr.write(`kubeedge-edge: no dead letter with seq ${seq}\n`);
      } else {
        process.stdout.write(`${verb === "retry" ? "requeued" : "dropped"} ${seq}\n`);
      }
    }
  });
}

export function registerDeadLetterCommands(program: Command): void {
  const group = program
    .command("dead-letters")
    .description("outbox entries the cloud refused for good: list, retry or drop them");
  const common = (c: Command): Command =>
    c
      .option("--data-dir <dir>", "state directory (dataDir)", DEFAULT_DATA_DIR)
      .option("--database <file>", "SQLite file (default <data-dir>/edge.db)");
  common(group.command("list").description("one JSON object per dead letter, oldest first")).action(
    (o: Options) =>
      withOutbox(o, outbox => {
        for (const e of outbox.deadLetters(Number.MAX_SAFE_INTEGER)) {
          process.stdout.write(`${JSON.stringify(e)}\n`);
        }
      }),
  );
  common(group.command("retry <seq|all>").description("put it back in the outbox")).action(
    (arg: string, o: Options) => act("retry", arg, o),
  );
  common(group.command("drop <seq|all>").description("forget it for good")).action(
    (arg: string, o: Options) => act("drop", arg, o),
  );
}
