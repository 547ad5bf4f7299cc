/**
 * Shows the snapshot until told to stop: redrawn in place on a terminal, or one plain line every
 * few seconds when stdout is a pipe or a file (CI logs, `| tee`).
 */
import { plainLine, render } from "./view.js";
import type { SnapshotTaker } from "./snapshot.js";

export interface LiveOptions {
  tty: boolean;
  /** Lines printed under the table (the commands to try). */
  footer: string[];
  /** Resolves when the view should end. */
  until: Promise<void>;
  refreshMs?: number;
  plainEveryMs?: number;
}

const CLEAR = "\x1b[H\x1b[2J";

export async function showLive(taker: SnapshotTaker, opts: LiveOptions): Promise<void> {
  let done = false;
  void opts.until.then(() => (done = true));
  let lastPlain = 0;
  while (!done) {
    const s = await taker.take();
    if (opts.tty) {
      process.stdout.write(`${CLEAR}${[...render(s), "", ...opts.footer].join("\n")}\n`);
    } else if (s.at - lastPlain >= (opts.plainEveryMs ?? 5000)) {
      lastPlain = s.at;
      console.log(`[demo] ${plainLine(s)}`);
    }
    await Promise.race([opts.until, new Promise(r => setTimeout(r, opts.refreshMs ?? 1000))]);
  }
}
