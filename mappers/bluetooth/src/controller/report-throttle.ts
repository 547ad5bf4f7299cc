/**
 * Coalesces reported values per property to one per `reportCycle`: a SensorTag notifying at
 * 10 Hz would otherwise put ten twin updates a second through the edge agent (PROTOCOL.md:
 * frequent status writes overloaded KubeEdge's apiserver). The first value goes out at once,
 * later ones within the cycle are held and the newest is sent when the cycle ends.
 */
export class ReportThrottle {
  private readonly state = new Map<
    string,
    { last: number; pending?: string; timer?: NodeJS.Timeout }
  >();

  constructor(private readonly send: (property: string, value: string) => void) {}

  offer(property: string, value: string, cycleMs: number): void {
    if (cycleMs <= 0) return this.send(property, value);
    const now = Date.now();
    const s = this.state.get(property) ?? { last: 0 };
    this.state.set(property, s);
    if (!s.timer && now - s.last >= cycleMs) {
      s.last = now;
      return this.send(property, value);
    }
    s.pending = value;
    s.timer ??= setTimeout(() => this.flush(property), Math.max(0, s.last + cycleMs - now));
  }

  stop(): void {
    for (const s of this.state.values()) clearTimeout(s.timer);
    this.state.clear();
  }

  private flush(property: string): void {
    const s = this.state.get(property);
    if (!s || s.pending === undefined) return;
    const value = s.pending;
    s.pending = undefined;
    s.timer = undefined;
    s.last = Date.now();
    this.send(property, value);
  }
}
