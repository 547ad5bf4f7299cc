import { restartDelay, Supervisor, type SupervisedChild } from "./supervisor.js";

/** A child whose end the test decides. */
class FakeChild implements SupervisedChild {
  static nextPid = 100;
  readonly pid = FakeChild.nextPid++;
  end!: (code: number | null) => void;
  readonly exited = new Promise<number | null>(r => (this.end = r));
}

const policy = { initialMs: 1000, maxMs: 8000, resetAfterMs: 60_000 };

function supervised() {
  const spawned: FakeChild[] = [];
  const restarts: { code: number | null; delayMs: number }[] = [];
  const s = new Supervisor({
    spawn: () => {
      const c = new FakeChild();
      spawned.push(c);
      return c;
    },
    backoff: policy,
    onRestart: r => restarts.push({ code: r.code, delayMs: r.delayMs }),
  });
  return { s, spawned, restarts };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("restartDelay", () => {
  it("doubles from the initial delay up to the cap", () => {
    expect([1, 2, 3, 4, 5, 9].map(n => restartDelay(n, policy))).toEqual([
      1000, 2000, 4000, 8000, 8000, 8000,
    ]);
  });
});

describe("Supervisor", () => {
  it("starts the process again after any exit, waiting the back-off first", async () => {
    const { s, spawned, restarts } = supervised();
    spawned[0]!.end(null);
    await vi.advanceTimersByTimeAsync(999);
    expect(spawned).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(spawned).toHaveLength(2);
    expect(s.current).toBe(spawned[1]);
    spawned[1]!.end(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(spawned).toHaveLength(3);
    expect(restarts).toEqual([
      { code: null, delayMs: 1000 },
      { code: 1, delayMs: 2000 },
    ]);
    expect(s.restarts).toBe(2);
  });

  it("starts the back-off over after a run that lasted", async () => {
    const { spawned, restarts } = supervised();
    spawned[0]!.end(1);
    await vi.advanceTimersByTimeAsync(1000);
    spawned[1]!.end(1);
    await vi.advanceTimersByTimeAsync(2000);
    await vi.advanceTimersByTimeAsync(60_000);
    spawned[2]!.end(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(restarts.map(r => r.delayMs)).toEqual([1000, 2000, 1000]);
  });

  it("stops for good: the running process killed, nothing started after it", async () => {
    const { s, spawned } = supervised();
    const killed: FakeChild[] = [];
    await s.stop(async c => {
      killed.push(c);
      c.end(0);
    });
    expect(killed).toEqual([spawned[0]]);
    await expect(s.finished).resolves.toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(spawned).toHaveLength(1);
  });

  it("cancels a pending restart when stopped during the back-off", async () => {
    const { s, spawned } = supervised();
    spawned[0]!.end(137);
    await vi.advanceTimersByTimeAsync(10);
    await s.stop(async () => undefined);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(spawned).toHaveLength(1);
    await expect(s.finished).resolves.toBeNull();
  });

  it("leaves the process down after its exit when restarts are off", async () => {
    const spawned: FakeChild[] = [];
    const s = new Supervisor({
      spawn: () => {
        spawned.push(new FakeChild());
        return spawned.at(-1)!;
      },
      restart: false,
    });
    spawned[0]!.end(3);
    await expect(s.finished).resolves.toBe(3);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(spawned).toHaveLength(1);
  });
});
