import { describe, expect, it } from "vitest";
import { Backoff } from "./backoff.js";

describe("Backoff (kubelet's container restart back-off)", () => {
  it("restarts at once the first time, then waits 10 s, 20 s, 40 s … capped at 5 min", () => {
    const b = new Backoff();
    const waits: number[] = [];
    let now = 0;
    for (let i = 0; i < 8; i++) {
      const failedAt = now;
      const wait = b.remainingMs("c", failedAt, 1_000, now);
      waits.push(wait);
      now += wait;
      expect(b.remainingMs("c", failedAt, 1_000, now)).toBe(0);
      b.retried("c");
    }
    expect(waits).toEqual([0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  });

  it.each([
    ["half-way through the delay", 5_000, 1_000, 15_000],
    ["after the delay", 25_000, 1_000, 0],
    ["after a 10 minute run (reset)", 5_000, 600_000, 0],
  ])("with a 20 s delay, a retry %s waits as kubelet does", (_what, now, ran, expected) => {
    const b = new Backoff();
    b.retried("c");
    b.retried("c");
    expect(b.remainingMs("c", 0, ran, now)).toBe(expected);
  });

  it("keeps keys apart and forgets a pod's keys by prefix", () => {
    const b = new Backoff();
    b.retried("uid1/a");
    b.retried("uid2/a");
    b.forget("uid1/");
    expect(b.delayMs("uid1/a")).toBe(0);
    expect(b.delayMs("uid2/a")).toBe(10_000);
  });
});
