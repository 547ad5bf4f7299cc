import { getEventListeners } from "node:events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { KickableSleep } from "./kickable-sleep.js";

describe("KickableSleep", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  const settled = (p: Promise<void>): (() => boolean) => {
    let done = false;
    void p.then(() => (done = true));
    return () => done;
  };

  it("sleeps until the timeout, or until a kick", async () => {
    const s = new KickableSleep(new AbortController().signal);
    const timedOut = settled(s.sleep(1_000));
    await vi.advanceTimersByTimeAsync(999);
    expect(timedOut()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(timedOut()).toBe(true);

    const kicked = settled(s.sleep(1_000));
    await vi.advanceTimersByTimeAsync(10);
    s.kick();
    await vi.advanceTimersByTimeAsync(0);
    expect(kicked()).toBe(true);
  });

  it("remembers a kick that came while awake: the next sleep returns at once, the one after waits", async () => {
    const s = new KickableSleep(new AbortController().signal);
    s.kick(); // during a sync
    s.kick();
    const first = settled(s.sleep(1_000));
    await vi.advanceTimersByTimeAsync(0);
    expect(first()).toBe(true);
    const second = settled(s.sleep(1_000));
    await vi.advanceTimersByTimeAsync(500);
    expect(second()).toBe(false);
  });

  it("ends at abort and leaves no listener behind", async () => {
    const abort = new AbortController();
    const s = new KickableSleep(abort.signal);
    for (let i = 0; i < 20; i++) {
      const p = s.sleep(1_000);
      s.kick();
      await p;
    }
    expect(getEventListeners(abort.signal, "abort")).toHaveLength(0);
    const pending = settled(s.sleep(60_000));
    abort.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(pending()).toBe(true);
    const afterAbort = settled(s.sleep(60_000));
    await vi.advanceTimersByTimeAsync(0);
    expect(afterAbort()).toBe(true);
  });
});
