import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DeviceStatusReport } from "../store/device-status.js";
import { StatusReporter } from "./reporter.js";

const twin = (p: string, v: string) => ({ propertyName: p, reported: { value: v } });

describe("StatusReporter", () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it("writes one merged report per device per report cycle, last value wins", () => {
    const out: DeviceStatusReport[] = [];
    const r = new StatusReporter(x => out.push(x), { now: Date.now });
    r.report("ns", "d", { twins: [twin("t", "1")] }, 1000);
    vi.advanceTimersByTime(0);
    expect(out).toHaveLength(1);
    for (let i = 2; i <= 10; i++) {
      r.report("ns", "d", { twins: [twin("t", String(i))] }, 1000);
      vi.advanceTimersByTime(100);
    }
    r.report("ns", "d", { state: "online" }, 1000);
    expect(out).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(out).toHaveLength(2);
    expect(out[1]).toEqual({
      namespace: "ns",
      name: "d",
      status: { twins: [twin("t", "10")], state: "online" },
    });
  });

  it("keeps devices apart and floors the cycle", () => {
    const out: DeviceStatusReport[] = [];
    const r = new StatusReporter(x => out.push(x), { now: Date.now, minCycleMs: 100 });
    for (let i = 0; i < 10; i++) {
      r.report("ns", "a", { twins: [twin("t", String(i))] }, 1);
      r.report("ns", "b", { twins: [twin("t", String(i))] }, 1);
      vi.advanceTimersByTime(10);
    }
    vi.advanceTimersByTime(200);
    // 100 ms of reports at a 100 ms floor: at most 2 writes per device.
    expect(out.filter(o => o.name === "a").length).toBeLessThanOrEqual(2);
    expect(out.filter(o => o.name === "b").at(-1)?.status.twins).toEqual([twin("t", "9")]);
  });

  it("holds writes beyond the global rate and sends them later", () => {
    const out: DeviceStatusReport[] = [];
    const r = new StatusReporter(x => out.push(x), { now: Date.now, maxWritesPerSecond: 5 });
    for (let i = 0; i < 20; i++) r.report("ns", `d${i}`, { state: "online" }, 1000);
    vi.advanceTimersByTime(0);
    expect(out).toHaveLength(5);
    expect(r.pendingDevices()).toBe(15);
    vi.advanceTimersByTime(3100);
    expect(out).toHaveLength(20);
  });

  it("flushAll writes everything pending at once", () => {
    const out: DeviceStatusReport[] = [];
    const r = new StatusReporter(x => out.push(x), { now: Date.now });
    r.report("ns", "a", { state: "online" });
    vi.advanceTimersByTime(0);
    r.report("ns", "a", { state: "offline" });
    r.flushAll();
    expect(out.map(o => o.status.state)).toEqual(["online", "offline"]);
  });
});
