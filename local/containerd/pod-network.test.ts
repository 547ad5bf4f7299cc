import { describe, expect, it } from "vitest";
import { candidateIndexes, podNetwork } from "./pod-network.js";

describe("pod networks", () => {
  it("tries every /24 once, starting anywhere and wrapping around", () => {
    const order = candidateIndexes(253);
    expect(order.slice(0, 3)).toEqual([253, 254, 1]);
    expect(new Set(order).size).toBe(254);
    expect(Math.min(...order)).toBe(1);
    expect(Math.max(...order)).toBe(254);
    expect(candidateIndexes(0)[0]).toBe(254);
    expect(candidateIndexes(1000)[0]).toBe(((1000 - 1) % 254) + 1);
  });

  it("names bridges within Linux's 15-character limit", () => {
    expect(podNetwork(254)).toEqual({
      name: "kubeedge-ts-254",
      bridge: "kts254",
      subnet: "10.213.254.0/24",
    });
  });
});
