/** Schedules on fake timers: runs, pauses and stops at exact times, no real sleeps. */
import type { ScheduleSpec } from "../config/types.js";
import { ScheduleRunner, type ScheduleDeps } from "./schedule-runner.js";

function recorder(opts: { failing?: string[]; gate?: () => Promise<void> } = {}) {
  const calls: string[] = [];
  const at: number[] = [];
  const start = Date.now();
  const results: { action: string; value?: string; error?: string }[] = [];
  const deps: ScheduleDeps = {
    ready: opts.gate ?? (() => Promise.resolve()),
    perform: async name => {
      calls.push(name);
      at.push(Date.now() - start);
      if (opts.failing?.includes(name)) throw new Error(`action "${name}" does not exist`);
      return { action: name, property: "p", kind: "read", value: `v${calls.length}` };
    },
    onResult: (_s, action, r) => results.push({ action, ...r }),
  };
  return { deps, calls, at, results };
}

const spec = (over: Partial<ScheduleSpec>): ScheduleSpec => ({
  name: "s",
  interval: 5,
  occurrenceLimit: 0,
  actions: ["a", "b"],
  ...over,
});

describe("ScheduleRunner", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it.each([
    { limit: 1, want: ["a", "b"] },
    { limit: 3, want: ["a", "b", "a", "b", "a", "b"] },
  ])("runs the actions in order, $limit time(s)", async ({ limit, want }) => {
    const r = recorder();
    const runner = new ScheduleRunner(spec({ occurrenceLimit: limit }), r.deps);
    runner.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(runner.finished).toBe(true);
    await runner.stop();
    expect(r.calls).toEqual(want);
    expect(runner.runs).toBe(limit);
  });

  it("runs forever with limit 0 until stopped", async () => {
    const r = recorder();
    const runner = new ScheduleRunner(spec({ occurrenceLimit: 0, interval: 10 }), r.deps);
    runner.start();
    await vi.advanceTimersByTimeAsync(45);
    expect(runner.runs).toBe(5); // at 0, 10, 20, 30, 40
    await runner.stop();
    const after = r.calls.length;
    await vi.advanceTimersByTimeAsync(1000);
    expect(r.calls.length).toBe(after);
  });

  it("waits the interval between runs", async () => {
    const r = recorder();
    const runner = new ScheduleRunner(spec({ occurrenceLimit: 3, interval: 60 }), r.deps);
    runner.start();
    await vi.advanceTimersByTimeAsync(59);
    expect(runner.runs).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(runner.finished).toBe(true);
    expect(r.at).toEqual([0, 0, 60, 60, 120, 120]);
  });

  it("reports a failing action and carries on with the next", async () => {
    const r = recorder({ failing: ["a"] });
    const runner = new ScheduleRunner(spec({ occurrenceLimit: 1 }), r.deps);
    runner.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(runner.finished).toBe(true);
    expect(r.results).toEqual([
      { action: "a", error: 'action "a" does not exist' },
      { action: "b", value: "v2" },
    ]);
  });

  it("does not start a run before the device is ready, and stop releases the wait", async () => {
    const r = recorder({ gate: () => new Promise(() => {}) });
    const runner = new ScheduleRunner(spec({ occurrenceLimit: 1 }), r.deps);
    runner.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(r.calls).toEqual([]);
    await runner.stop();
    expect(runner.runs).toBe(0);
  });
});
