import { describe, expect, it } from "vitest";
import { MetricsRegistry } from "../../observability/metrics.js";
import { PodStartTiming } from "./start-timing.js";

describe("PodStartTiming", () => {
  const setup = () => {
    let now = 0;
    const histogram = new MetricsRegistry().histogram("phases", "test");
    const timing = new PodStartTiming(histogram, () => now);
    return { histogram, timing, advance: (ms: number) => (now += ms) };
  };

  it("times a new pod's queue, steps and total, once", async () => {
    const { histogram, timing, advance } = setup();
    timing.arrived("u1");
    advance(300);
    timing.syncBegins("u1");
    timing.syncBegins("u1"); // a second sync: the queue time is not counted again
    expect(await timing.time("u1", "sandbox", async () => (advance(1200), "id"))).toBe("id");
    advance(100);
    timing.running("u1");
    timing.running("u1");
    expect(histogram.get({ phase: "queue" })).toEqual({ count: 1, sum: 0.3 });
    expect(histogram.get({ phase: "sandbox" })).toEqual({ count: 1, sum: 1.2 });
    expect(histogram.get({ phase: "total" })).toEqual({ count: 1, sum: 1.6 });
  });

  it("times a step that fails, and nothing for pods not starting", async () => {
    const { histogram, timing, advance } = setup();
    timing.arrived("u1");
    await expect(
      timing.time("u1", "token", async () => {
        advance(50);
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    expect(histogram.get({ phase: "token" })).toEqual({ count: 1, sum: 0.05 });
    timing.forget("u1");
    await timing.time("u1", "token", async () => advance(50));
    await timing.time("adopted", "image", async () => advance(50));
    timing.running("u1");
    expect(histogram.get({ phase: "token" }).count).toBe(1);
    expect(histogram.get({ phase: "image" }).count).toBe(0);
    expect(histogram.get({ phase: "total" }).count).toBe(0);
  });
});
