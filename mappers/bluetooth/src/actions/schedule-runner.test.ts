import { waitFor } from "@kubeedge-ts/testkit";
import type { ScheduleSpec } from "../config/types.js";
import { ScheduleRunner, type ScheduleDeps } from "./schedule-runner.js";

function recorder(opts: { failing?: string[]; gate?: () => Promise<void> } = {}) {
  const calls: string[] = [];
  const results: { action: string; value?: string; error?: string }[] = [];
  const deps: ScheduleDeps = {
    ready: opts.gate ?? (() => Promise.resolve()),
    perform: async name => {
      calls.push(name);
      if (opts.failing?.includes(name)) throw new Error(`action "${name}" does not exist`);
      return { action: name, property: "p", kind: "read", value: `v${calls.length}` };
    },
    onResult: (_s, action, r) => results.push({ action, ...r }),
  };
  return { deps, calls, results };
}

const spec = (over: Partial<ScheduleSpec>): ScheduleSpec => ({
  name: "s",
  interval: 5,
  occurrenceLimit: 0,
  actions: ["a", "b"],
  ...over,
});

describe("ScheduleRunner", () => {
  it.each([
    { limit: 1, want: ["a", "b"] },
    { limit: 3, want: ["a", "b", "a", "b", "a", "b"] },
  ])("runs the actions in order, $limit time(s)", async ({ limit, want }) => {
    const r = recorder();
    const runner = new ScheduleRunner(spec({ occurrenceLimit: limit }), r.deps);
    runner.start();
    await waitFor("schedule to finish", () => runner.finished, 2000);
    await runner.stop();
    expect(r.calls).toEqual(want);
    expect(runner.runs).toBe(limit);
  });

  it("runs forever with limit 0 until stopped", async () => {
    const r = recorder();
    const runner = new ScheduleRunner(spec({ occurrenceLimit: 0, interval: 1 }), r.deps);
    runner.start();
    await waitFor("five runs", () => runner.runs >= 5, 2000);
    await runner.stop();
    const after = r.calls.length;
    await new Promise(res => setTimeout(res, 30));
    expect(r.calls.length).toBe(after);
  });

  it("waits the interval between runs", async () => {
    const r = recorder();
    const started = Date.now();
    const runner = new ScheduleRunner(spec({ occurrenceLimit: 3, interval: 60 }), r.deps);
    runner.start();
    await waitFor("schedule to finish", () => runner.finished, 2000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it("reports a failing action and carries on with the next", async () => {
    const r = recorder({ failing: ["a"] });
    const runner = new ScheduleRunner(spec({ occurrenceLimit: 1 }), r.deps);
    runner.start();
    await waitFor("schedule to finish", () => runner.finished, 2000);
    expect(r.results).toEqual([
      { action: "a", error: 'action "a" does not exist' },
      { action: "b", value: "v2" },
    ]);
  });

  it("does not start a run before the device is ready, and stop releases the wait", async () => {
    const r = recorder({ gate: () => new Promise(() => {}) });
    const runner = new ScheduleRunner(spec({ occurrenceLimit: 1 }), r.deps);
    runner.start();
    await new Promise(res => setTimeout(res, 20));
    expect(r.calls).toEqual([]);
    await runner.stop();
    expect(runner.runs).toBe(0);
  });
});
