import { afterEach, describe, expect, it, vi } from "vitest";
import { Scheduler } from "./scheduler.js";

describe("Scheduler", () => {
  afterEach(() => vi.useRealTimers());

  it("runs a task immediately and then every interval", async () => {
    vi.useFakeTimers();
    const s = new Scheduler();
    let runs = 0;
    s.every("a", 100, () => void runs++);
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(350);
    expect(runs).toBe(4);
    s.stop();
    await vi.advanceTimersByTimeAsync(500);
    expect(runs).toBe(4);
  });

  it("never overlaps runs of a slow task", async () => {
    vi.useFakeTimers();
    const s = new Scheduler();
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    s.every("slow", 10, async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise(r => setTimeout(r, 35));
      active--;
      runs++;
    });
    await vi.advanceTimersByTimeAsync(200);
    s.stop();
    expect(maxActive).toBe(1);
    expect(runs).toBeGreaterThanOrEqual(5);
  });

  it("keeps running after a task throws", async () => {
    vi.useFakeTimers();
    const s = new Scheduler();
    let runs = 0;
    s.every("bad", 10, () => {
      runs++;
      throw new Error("boom");
    });
    await vi.advanceTimersByTimeAsync(35);
    s.stop();
    expect(runs).toBe(4);
  });

  it("cancels tasks by prefix and delays the first run when asked", async () => {
    vi.useFakeTimers();
    const s = new Scheduler();
    let runs = 0;
    s.every("dev1|a", 10, () => void runs++, { immediate: false });
    s.every("dev1|b", 10, () => void runs++);
    s.every("dev2|a", 10, () => {});
    s.cancelPrefix("dev1|");
    expect(s.keys()).toEqual(["dev2|a"]);
    await vi.advanceTimersByTimeAsync(50);
    expect(runs).toBe(0);
    s.stop();
  });
});
