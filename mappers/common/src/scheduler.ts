/**
 * Runs named periodic tasks. A run never overlaps the previous run of the same task (a slow
 * device must not pile up requests); the next run starts one interval after the previous one
 * STARTED, or at once if the previous run took longer than the interval.
 */
import type { Logger } from "./logger.js";

type Task = () => Promise<void> | void;

interface Entry {
  timer?: NodeJS.Timeout;
  cancelled: boolean;
}

export class Scheduler {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly log?: Logger) {}

  /** Schedules `task` every `intervalMs`; replaces any task with the same key. */
  every(key: string, intervalMs: number, task: Task, opts: { immediate?: boolean } = {}): void {
    this.cancel(key);
    const entry: Entry = { cancelled: false };
    this.entries.set(key, entry);
    const run = async (): Promise<void> => {
      const started = Date.now();
      try {
        await task();
      } catch (err) {
        this.log?.error({ task: key, err: (err as Error).message }, "scheduled task failed");
      }
      if (entry.cancelled) return;
      const wait = Math.max(0, intervalMs - (Date.now() - started));
      entry.timer = setTimeout(() => void run(), wait);
    };
    entry.timer = setTimeout(() => void run(), opts.immediate === false ? intervalMs : 0);
  }

  cancel(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.cancelled = true;
    if (entry.timer) clearTimeout(entry.timer);
    this.entries.delete(key);
  }

  /** Cancels every task whose key starts with `prefix` (e.g. all tasks of one device). */
  cancelPrefix(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.cancel(key);
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  stop(): void {
    for (const key of [...this.entries.keys()]) this.cancel(key);
  }
}
