/**
 * A client's publish budget on the embedded broker: messages and payload bytes per second,
 * each holding one second's worth, so a mapper may burst but not flood. Over the budget a
 * PUBLISH is held back until the budget covers it; aedes reads a client's next packets only
 * when the current ones are through, so holding them back slows the client down through TCP
 * instead of queueing its messages in the agent. A client more than `maxBehindMs` behind its
 * budget is refused (the connection closes): it does not wait for the broker at all.
 */
import { TokenBucket } from "../util/token-bucket.js";

export interface PublishRateLimits {
  /** 0 = no limit. */
  maxPublishesPerSecond: number;
  maxPublishBytesPerSecond: number;
}

/** How far behind its budget a client may fall before it is refused. */
export const MAX_BEHIND_MS = 1000;

export class PublishRate {
  private readonly budgets: { budget: TokenBucket; cost: (size: number) => number }[] = [];

  constructor(
    limits: PublishRateLimits,
    now: () => number = Date.now,
    private readonly maxBehindMs = MAX_BEHIND_MS,
  ) {
    if (limits.maxPublishesPerSecond > 0) {
      this.budgets.push({
        budget: new TokenBucket(limits.maxPublishesPerSecond, now),
        cost: () => 1,
      });
    }
    if (limits.maxPublishBytesPerSecond > 0) {
      this.budgets.push({
        budget: new TokenBucket(limits.maxPublishBytesPerSecond, now),
        cost: s => s,
      });
    }
  }

  /**
   * Spends one message of `size` payload bytes: the ms to hold it back (0 = at once), or
   * undefined (nothing spent) when the client is too far behind and is refused.
   */
  admit(size: number): number | undefined {
    const delays = this.budgets.map(b => b.budget.spend(b.cost(size)));
    const delay = Math.max(0, ...delays);
    if (delay <= this.maxBehindMs) return delay;
    for (const b of this.budgets) b.budget.refund(b.cost(size));
    return undefined;
  }
}
