/**
 * Runs one schedule (seeds' manual 31.3.2): its actions in order, then a pause of `interval`,
 * `occurrenceLimit` times (0 = forever). A run starts only while the device is connected, so an
 * outage does not use up a limited schedule. An action that fails or no longer exists is
 * reported and the run goes on with the next one, as KubeEdge's scheduler did.
 */
import type { ScheduleSpec } from "../config/types.js";
import type { ActionOutcome } from "./perform.js";

export interface ScheduleDeps {
  /** Resolves when the device is connected; rejects when the mapper stops. */
  ready(): Promise<void>;
  perform(actionName: string): Promise<ActionOutcome>;
  onResult(schedule: string, action: string, result: { value?: string; error?: string }): void;
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}

export class ScheduleRunner {
  private readonly abort = new AbortController();
  private loop?: Promise<void>;
  /** Completed runs. */
  runs = 0;

  constructor(
    readonly spec: ScheduleSpec,
    private readonly deps: ScheduleDeps,
  ) {}

  get finished(): boolean {
    return this.spec.occurrenceLimit > 0 && this.runs >= this.spec.occurrenceLimit;
  }

  start(): void {
    this.loop ??= this.run().catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    const stopped = new Promise(r => signal.addEventListener("abort", r, { once: true }));
    while (!signal.aborted && !this.finished) {
      await Promise.race([this.deps.ready(), stopped]);
      if (signal.aborted) return;
      for (const name of this.spec.actions) {
        if (signal.aborted) return;
        await this.deps.perform(name).then(
          out => this.deps.onResult(this.spec.name, name, { value: out.value }),
          (err: Error) => this.deps.onResult(this.spec.name, name, { error: err.message }),
        );
      }
      this.runs++;
      if (!this.finished) await abortableSleep(this.spec.interval, signal);
    }
  }
}
