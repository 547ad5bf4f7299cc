/** The watcher's retry pacing on fake timers: exact attempt times, no real sleeps. */
import { createLogger } from "@kubeedge-ts/mapper-common";
import type { WatchStep } from "../actions/watch-plan.js";
import { WatcherRunner } from "./watcher-runner.js";

const log = createLogger("test", "silent");
const WATCHER = { attributes: [{ propertyName: "switch", actions: ["turn"] }] };

function setup(runStep: (step: WatchStep, actual: Map<string, string>) => Promise<void>) {
  const expected = new Map([["switch", "ON"]]);
  const actual = new Map<string, string>();
  let connected = true;
  const calls: WatchStep[] = [];
  const at: number[] = [];
  const start = Date.now();
  const runner = new WatcherRunner({
    watcher: () => WATCHER,
    expected,
    actual,
    connected: () => connected,
    runStep: async step => {
      calls.push(step);
      at.push(Date.now() - start);
      await runStep(step, actual);
    },
    log,
    retryMinMs: 10,
    retryMaxMs: 40,
  });
  return { runner, expected, actual, calls, at, setConnected: (c: boolean) => (connected = c) };
}

describe("WatcherRunner", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs the actions once and stops when actual equals expected", async () => {
    const w = setup(async (step, actual) => void actual.set(step.propertyName, step.expected));
    w.runner.kick();
    await vi.advanceTimersByTimeAsync(1000);
    expect(w.actual.get("switch")).toBe("ON");
    expect(w.calls).toEqual([{ propertyName: "switch", expected: "ON", actions: ["turn"] }]);
    w.runner.stop();
  });

  it("retries a failing step with a doubling pause until it succeeds", async () => {
    let failures = 2;
    const w = setup(async (step, actual) => {
      if (failures-- > 0) throw new Error("device busy");
      actual.set(step.propertyName, step.expected);
    });
    w.runner.kick();
    await vi.advanceTimersByTimeAsync(1000);
    expect(w.actual.get("switch")).toBe("ON");
    // Pauses of 10 and 20 ms (retryMinMs, doubled).
    expect(w.at).toEqual([0, 10, 30]);
    w.runner.stop();
  });

  it("does not spin when the read-back differs, and stops retrying when stopped", async () => {
    const w = setup(async (step, actual) => void actual.set(step.propertyName, "OFF"));
    w.runner.kick();
    await vi.advanceTimersByTimeAsync(200);
    // 10, 20, 40, 40... ms pauses: capped at retryMaxMs.
    expect(w.at).toEqual([0, 10, 30, 70, 110, 150, 190]);
    w.runner.stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(w.calls).toHaveLength(7);
  });

  it("waits while disconnected and picks up the newest expected value when kicked", async () => {
    const w = setup(async (step, actual) => void actual.set(step.propertyName, step.expected));
    w.setConnected(false);
    w.runner.kick();
    await vi.advanceTimersByTimeAsync(1000);
    expect(w.calls).toEqual([]);
    w.expected.set("switch", "OFF");
    w.setConnected(true);
    w.runner.kick();
    await vi.advanceTimersByTimeAsync(0);
    expect(w.actual.get("switch")).toBe("OFF");
    expect(w.calls.map(c => c.expected)).toEqual(["OFF"]);
    w.runner.stop();
  });
});
