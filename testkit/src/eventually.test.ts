import { eventually } from "./eventually.js";

describe("eventually", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("returns the first value that is not undefined or false, from sync or async checks", async () => {
    let calls = 0;
    const sync = eventually(
      "three calls",
      () => (++calls >= 3 ? `after ${calls}` : false),
      1000,
      10,
    );
    await vi.advanceTimersByTimeAsync(100);
    await expect(sync).resolves.toBe("after 3");
    await expect(eventually("zero", async () => 0)).resolves.toBe(0);
  });

  it("fails at the deadline naming what it waited for, with the hint and the last error", async () => {
    let n = 0;
    const waiting = eventually(
      "the broker",
      () => {
        throw new Error(`refused ${++n}`);
      },
      500,
      100,
      () => "see broker.log",
    );
    const outcome = waiting.catch((e: Error) => e);
    await vi.advanceTimersByTimeAsync(1000);
    const err = (await outcome) as Error;
    expect(err.message).toBe("timed out after 500 ms waiting for the broker. see broker.log");
    expect((err.cause as Error).message).toBe(`refused ${n}`);
    expect(n).toBe(7); // at 0, 100, ..., 600 ms: the check after the deadline runs once more
  });
});
