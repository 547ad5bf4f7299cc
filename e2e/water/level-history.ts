/**
 * The tank levels of the last while, sampled from the plant: a controller acts on a reading a
 * few seconds old, so its command is checked against any level the tank had lately.
 */
export class LevelHistory {
  private readonly samples: { at: number; levelM: number }[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    read: () => number,
    everyMs = 250,
    private readonly keepMs = 120_000,
  ) {
    this.timer = setInterval(() => {
      const now = Date.now();
      this.samples.push({ at: now, levelM: read() });
      while (this.samples.length > 0 && this.samples[0]!.at < now - this.keepMs)
        this.samples.shift();
    }, everyMs);
  }

  /** The levels seen in the last `ms`. */
  recent(ms: number): number[] {
    const since = Date.now() - ms;
    return this.samples.filter(s => s.at >= since).map(s => s.levelM);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
