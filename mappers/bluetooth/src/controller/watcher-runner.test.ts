import { createLogger } from "@kubeedge-ts/mapper-common";
import { waitFor } from "@kubeedge-ts/testkit";
import type { WatchStep } from "../actions/watch-plan.js";
import { WatcherRunner } from "./watcher-runner.js";

const log = createLogger("test", "silent");
const WATCHER = { attributes: [{ propertyName: "switch", actions: ["turn"] }] };

function setup(runStep: (step: WatchStep, actual: Map<string, string>) => Promise<void>) {
  const expected = new Map([["switch", "ON"]]);
  const actual = new Map<string, string>();
  let connected = true;
  const calls: WatchStep[] = [];
  const runner = new WatcherRunner({
    watcher: () => WATCHER,
    expected,
    actual,
    connected: () => connected,
    runStep: async step => {
      calls.push(step);
      await runStep(step, actual);
    },
    log,
    retryMinMs: 10,
    retryMaxMs: 40,
  });
  return { runner, expected, actual, calls, setConnected: (c: boolean) => (connected = c) };
}

describe("WatcherRunner", () => {
  it("runs the actions once and stops when actual equals expected", async () => {
    const w = setup(async (step, actual) => void actual.set(step.propertyName, step.expected));
    w.runner.kick();
    await waitFor("in sync", () => w.actual.get("switch") === "ON", 1000);
    await new Promise(r => setTimeout(r, 50));
    expect(w.calls).toEqual([{ propertyName: "switch", expected: "ON", actions: ["turn"] }]);
    w.runner.stop();
  });

  it("retries a failing step with back-off until it succeeds", async () => {
    let failures = 2;
    const w = setup(async (step, actual) => {
      if (failures-- > 0) throw new Error("device busy");
      actual.set(step.propertyName, step.expected);
    });
    w.runner.kick();
    await waitFor("in sync", () => w.actual.get("switch") === "ON", 2000);
    expect(w.calls).toHaveLength(3);
    w.runner.stop();
  });

  it("does not spin when the read-back differs, and stops retrying when stopped", async () => {
    const w = setup(async (step, actual) => void actual.set(step.propertyName, "OFF"));
    w.runner.kick();
    await new Promise(r => setTimeout(r, 200));
    // 10, 20, 40, 40 ms pauses: a handful of attempts, not thousands.
    expect(w.calls.length).toBeGreaterThan(2);
    expect(w.calls.length).toBeLessThan(10);
    w.runner.stop();
    const n = w.calls.length;
    await new Promise(r => setTimeout(r, 100));
    expect(w.calls.length).toBe(n);
  });

  it("waits while disconnected and picks up the newest expected value when kicked", async () => {
    const w = setup(async (step, actual) => void actual.set(step.propertyName, step.expected));
    w.setConnected(false);
    w.runner.kick();
    await new Promise(r => setTimeout(r, 30));
    expect(w.calls).toEqual([]);
    w.expected.set("switch", "OFF");
    w.setConnected(true);
    w.runner.kick();
    await waitFor("in sync", () => w.actual.get("switch") === "OFF", 1000);
    expect(w.calls.map(c => c.expected)).toEqual(["OFF"]);
    w.runner.stop();
  });
});
