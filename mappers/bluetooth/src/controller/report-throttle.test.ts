/** Report coalescing on fake timers (Date.now included): exact send times, no real sleeps. */
import { ReportThrottle } from "./report-throttle.js";

describe("ReportThrottle", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("sends at once without a cycle", () => {
    const sent: string[] = [];
    const t = new ReportThrottle((_p, v) => sent.push(v));
    ["1", "2", "3"].forEach(v => t.offer("temperature", v, 0));
    expect(sent).toEqual(["1", "2", "3"]);
  });

  it("sends the first value at once and the newest one when the cycle ends", async () => {
    const sent: [string, string, number][] = [];
    const start = Date.now();
    const t = new ReportThrottle((p, v) => sent.push([p, v, Date.now() - start]));
    for (let i = 1; i <= 20; i++) t.offer("temperature", String(i), 100);
    t.offer("humidity", "50", 100); // properties are throttled independently
    expect(sent).toEqual([
      ["temperature", "1", 0],
      ["humidity", "50", 0],
    ]);
    await vi.advanceTimersByTimeAsync(99);
    expect(sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent[2]).toEqual(["temperature", "20", 100]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toHaveLength(3);
    // A cycle after the last send, the next value goes out at once again.
    t.offer("temperature", "21", 100);
    expect(sent[3]).toEqual(["temperature", "21", 1100]);
    t.stop();
  });

  it("drops held values when stopped", async () => {
    const sent: string[] = [];
    const t = new ReportThrottle((_p, v) => sent.push(v));
    t.offer("temperature", "1", 50);
    t.offer("temperature", "2", 50);
    t.stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toEqual(["1"]);
  });
});
