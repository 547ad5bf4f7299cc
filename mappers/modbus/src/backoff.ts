/** Exponential backoff state of one thing that fails (an endpoint, or a slave behind it). */
export class Backoff {
  private failures = 0;
  private retryAt = 0;
  private reason = "";

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a failure; returns true for the first one of a run (worth a log line). */
  fail(reason: string): boolean {
    this.failures++;
    this.retryAt = this.now() + Math.min(this.maxMs, this.minMs * 2 ** (this.failures - 1));
    this.reason = reason;
    return this.failures === 1;
  }

  /** The last failure's reason while waiting to retry, else undefined. */
  waiting(): string | undefined {
    return this.retryAt > this.now() ? this.reason : undefined;
  }

  /** Records a success; returns how many failures it ended. */
  succeed(): number {
    const ended = this.failures;
    this.failures = 0;
    this.retryAt = 0;
    return ended;
  }
}
