/**
 * A token bucket: `rate` tokens per second, holding at most `rate`. DeviceTwin caps Device
 * status writes with it, EventBus the upload events mappers send, the embedded broker each
 * client's publishes.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly now: () => number,
  ) {
    this.tokens = rate;
    this.last = now();
  }

  /** Takes a token; otherwise returns how many ms until one is there. */
  take(): number {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) * 1000) / this.rate);
  }

  /** Takes `n` tokens, into debt if need be; returns how many ms until the debt is paid. */
  spend(n: number): number {
    this.refill();
    this.tokens -= n;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.rate);
  }

  /** Gives back tokens spent on something that did not happen. */
  refund(n: number): void {
    this.tokens += n;
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.rate, this.tokens + ((t - this.last) * this.rate) / 1000);
    this.last = t;
  }
}
