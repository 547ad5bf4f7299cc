/**
 * The sync loop's wait between relists: ends at the timeout, at a kick (a pod or object
 * changed) or when the signal aborts. A kick while the loop is busy is remembered, so the next
 * sleep returns at once instead of leaving the change for a whole tick.
 */
export class KickableSleep {
  private wake?: () => void;
  private kicked = false;

  constructor(private readonly signal: AbortSignal) {}

  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  sleep(ms: number): Promise<void> {
    if (this.kicked || this.signal.aborted) {
      this.kicked = false;
      return Promise.resolve();
    }
    return new Promise(resolve => {
      const done = (): void => {
        clearTimeout(timer);
        this.signal.removeEventListener("abort", done);
        this.wake = undefined;
        this.kicked = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
      this.signal.addEventListener("abort", done, { once: true });
    });
  }
}
