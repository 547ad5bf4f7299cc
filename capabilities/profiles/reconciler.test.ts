import { KubeConfig } from "@kubernetes/client-node";
import pino from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { KubeClient } from "./kube-client.js";
import { ProfileReconciler } from "./reconciler.js";

/**
 * A KubeClient whose namespace listing fails a given number of times; everything else answers
 * empty. Enough to observe the queue's coalescing and backoff without an apiserver.
 */
class ScriptedClient extends KubeClient {
  lists = 0;
  events: { reason: string; message: string }[] = [];
  constructor(private failures: number) {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: "c", server: "https://127.0.0.1:1" }],
      users: [{ name: "u" }],
      contexts: [{ name: "x", cluster: "c", user: "u" }],
      currentContext: "x",
    });
    super(kc, "test");
  }
  override async list<T>(path: string): Promise<T[]> {
    if (path.endsWith("/devices")) {
      this.lists++;
      if (this.failures-- > 0) throw new Error("apiserver unavailable");
    }
    return [];
  }
  override async create<T>(_path: string, obj: unknown): Promise<T> {
    const e = obj as { reason: string; message: string };
    this.events.push({ reason: e.reason, message: e.message });
    return obj as T;
  }
}

const log = pino({ level: "silent" });

describe("ProfileReconciler", () => {
  afterEach(() => vi.useRealTimers());

  it("coalesces a burst of events for one namespace into one pass", async () => {
    vi.useFakeTimers();
    const client = new ScriptedClient(0);
    const r = new ProfileReconciler(client, log, { debounceMs: 100 });
    for (let i = 0; i < 100; i++) r.enqueueNamespace("ns");
    await vi.advanceTimersByTimeAsync(150);
    expect(client.lists).toBe(1);
    expect(r.passes).toBe(1);
    r.stop();
  });

  it("retries a failing namespace with exponential backoff and reports each failure", async () => {
    vi.useFakeTimers();
    const client = new ScriptedClient(3);
    const r = new ProfileReconciler(client, log, { debounceMs: 10, baseBackoffMs: 500 });
    r.enqueueNamespace("ns");
    await vi.advanceTimersByTimeAsync(20); // attempt 1 fails, retry in 500 ms
    expect(client.lists).toBe(1);
    await vi.advanceTimersByTimeAsync(520); // attempt 2 fails, retry in 1000 ms
    expect(client.lists).toBe(2);
    await vi.advanceTimersByTimeAsync(900);
    expect(client.lists).toBe(2); // still waiting: the delay doubled
    await vi.advanceTimersByTimeAsync(200); // attempt 3 fails, retry in 2000 ms
    await vi.advanceTimersByTimeAsync(2100); // attempt 4 succeeds
    expect(client.lists).toBe(4);
    const failures = client.events.filter(e => e.reason === "ProfileSyncFailed");
    expect(
      failures.map(e => e.message.match(/attempt (\d+), retry in (\d+) ms/)?.slice(1)),
    ).toEqual([
      ["1", "500"],
      ["2", "1000"],
      ["3", "2000"],
    ]);
    r.stop();
  });
});
