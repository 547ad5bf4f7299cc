import { describe, expect, it } from "vitest";
import { TokenBucket } from "./token-bucket.js";

describe("TokenBucket", () => {
  it("refills at its rate", () => {
    let t = 0;
    const b = new TokenBucket(2, () => t);
    expect([b.take(), b.take()]).toEqual([0, 0]);
    expect(b.take()).toBe(500);
    t = 500;
    expect(b.take()).toBe(0);
  });
});
