import { describe, expect, it } from "vitest";
import { Backoff } from "./backoff.js";

describe("Backoff", () => {
  it("doubles the wait up to the maximum and resets on success", () => {
    let now = 0;
    const b = new Backoff(100, 350, () => now);
    expect(b.waiting()).toBeUndefined();
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const first = b.fail(`e${i}`);
      expect(first).toBe(i === 0);
      let waited = 0;
      while (b.waiting() !== undefined) {
        now += 10;
        waited += 10;
      }
      waits.push(waited);
    }
    expect(waits).toEqual([100, 200, 350, 350]);
    b.fail("again");
    expect(b.waiting()).toBe("again");
    expect(b.succeed()).toBe(5);
    expect(b.waiting()).toBeUndefined();
  });
});
