import { describe, expect, it } from "vitest";
import { PublishRate } from "./publish-rate.js";

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("PublishRate", () => {
  it("lets a second's worth through at once, then holds each message back for its share", () => {
    const c = clock();
    const rate = new PublishRate({ maxPublishesPerSecond: 10, maxPublishBytesPerSecond: 0 }, c.now);
    for (let i = 0; i < 10; i++) expect(rate.admit(100)).toBe(0);
    expect(rate.admit(100)).toBe(100);
    expect(rate.admit(100)).toBe(200);
    c.advance(1000);
    // Refilled by 10, minus the 2 in debt.
    for (let i = 0; i < 8; i++) expect(rate.admit(100)).toBe(0);
    expect(rate.admit(100)).toBe(100);
  });

  it("counts payload bytes too: a few big messages use up the budget", () => {
    const c = clock();
    const rate = new PublishRate(
      { maxPublishesPerSecond: 0, maxPublishBytesPerSecond: 1000 },
      c.now,
    );
    expect(rate.admit(600)).toBe(0);
    expect(rate.admit(600)).toBe(200);
  });

  it("refuses a client more than maxBehindMs behind, without spending its budget", () => {
    const c = clock();
    const rate = new PublishRate(
      { maxPublishesPerSecond: 10, maxPublishBytesPerSecond: 0 },
      c.now,
      500,
    );
    for (let i = 0; i < 15; i++) expect(rate.admit(1)).toBeLessThanOrEqual(500);
    expect(rate.admit(1)).toBeUndefined();
    expect(rate.admit(1)).toBeUndefined();
    c.advance(100);
    expect(rate.admit(1)).toBe(500);
  });

  it("with both limits 0 never holds anything back", () => {
    const rate = new PublishRate({ maxPublishesPerSecond: 0, maxPublishBytesPerSecond: 0 });
    for (let i = 0; i < 10_000; i++) expect(rate.admit(65_536)).toBe(0);
  });
});
