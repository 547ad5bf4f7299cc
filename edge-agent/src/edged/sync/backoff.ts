/**
 * Kubelet's restart back-off for one key (a container, or an image pull): the first retry is
 * immediate, then each retry waits 10 s, 20 s, 40 s … up to 5 min after the last failure. A run
 * that lasted 10 min resets it. Times are passed in (milliseconds), so tests need no clock.
 */
export class Backoff {
  private readonly delays = new Map<string, number>();

  constructor(
    private readonly initialMs = 10_000,
    private readonly maxMs = 300_000,
    private readonly resetAfterMs = 600_000,
  ) {}

  /**
   * How long a retry of `key` must still wait, given when the last attempt ended and how long
   * it ran. 0 = retry now (then call `retried`).
   */
  remainingMs(key: string, failedAtMs: number, ranMs: number, nowMs: number): number {
    const delay = this.delays.get(key);
    if (delay === undefined) return 0;
    if (ranMs >= this.resetAfterMs) {
      this.delays.delete(key);
      return 0;
    }
    return Math.max(0, failedAtMs + delay - nowMs);
  }

  /** A retry happens now: the next one waits twice as long (capped). */
  retried(key: string): void {
    const delay = this.delays.get(key);
    this.delays.set(key, delay === undefined ? this.initialMs : Math.min(delay * 2, this.maxMs));
  }

  /** The current delay of a key (0 = none), for messages ("back-off 20s restarting …"). */
  delayMs(key: string): number {
    return this.delays.get(key) ?? 0;
  }

  /** Forgets every key starting with `prefix` (a pod that is gone). */
  forget(prefix: string): void {
    for (const key of this.delays.keys()) if (key.startsWith(prefix)) this.delays.delete(key);
  }
}
