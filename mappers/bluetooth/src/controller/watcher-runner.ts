/**
 * Drives the watcher: whenever an expected value arrives or the device reconnects, run the
 * actions of every watched property whose actual value differs, until actual equals expected.
 * Failures (device gone, write refused, read-back differs) retry with a growing pause.
 */
import type { Logger } from "@kubeedge-ts/mapper-common";
import type { WatcherSpec } from "../config/types.js";
import { planWatch, type WatchStep } from "../actions/watch-plan.js";

export interface WatcherRunnerDeps {
  watcher(): WatcherSpec;
  expected: ReadonlyMap<string, string>;
  actual: ReadonlyMap<string, string>;
  connected(): boolean;
  runStep(step: WatchStep): Promise<void>;
  log: Logger;
  retryMinMs?: number;
  retryMaxMs?: number;
}

export class WatcherRunner {
  private running = false;
  private again = false;
  private stopped = false;
  private retryTimer?: NodeJS.Timeout;
  private delay: number;

  constructor(private readonly deps: WatcherRunnerDeps) {
    this.delay = deps.retryMinMs ?? 1000;
  }

  /** Properties still waiting for their expected value. */
  pending(): WatchStep[] {
    return planWatch(this.deps.watcher(), this.deps.expected, this.deps.actual);
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    void this.reconcile();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
  }

  private async reconcile(): Promise<void> {
    this.running = true;
    let failed = false;
    do {
      this.again = false;
      if (!this.deps.connected()) break;
      failed = !(await this.runPending());
    } while (this.again && !failed && !this.stopped);
    this.running = false;
    if (failed && this.deps.connected()) this.retryLater();
    else if (!failed) this.delay = this.deps.retryMinMs ?? 1000;
  }

  /** One pass over the pending properties; false when any is still not where it should be. */
  private async runPending(): Promise<boolean> {
    let ok = true;
    for (const step of this.pending()) {
      try {
        await this.deps.runStep(step);
      } catch (err) {
        ok = false;
        this.deps.log.warn(
          { property: step.propertyName, expected: step.expected, err: (err as Error).message },
          "watcher could not reach the expected value",
        );
      }
    }
    // A read-back that still differs counts as a failure, or we would spin on it.
    return ok && this.pending().length === 0;
  }

  private retryLater(): void {
    if (this.stopped || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.kick();
    }, this.delay);
    this.delay = Math.min(this.delay * 2, this.deps.retryMaxMs ?? 30_000);
  }
}
