/**
 * Latency bookkeeping keyed by (device, value): a value is stamped when it starts its way
 * (a mapper report at the hollow node, a desired change in the cloud) and matched when it
 * shows up at the other end (the Device's status in the apiserver, a delta at the node). Stamps
 * older than one that arrived were overtaken (coalesced away, or lost) and are counted, not timed.
 */
export class LatencyTracker {
  private readonly pending = new Map<string, Map<string, number>>();
  readonly samplesMs: number[] = [];
  sent = 0;
  superseded = 0;
  /** Only stamps made while true are timed (start-up and restarts are left out). */
  measuring = true;

  stamp(device: string, value: string, at = Date.now()): void {
    if (!this.measuring) return;
    let byValue = this.pending.get(device);
    if (!byValue) this.pending.set(device, (byValue = new Map()));
    byValue.delete(value);
    byValue.set(value, at);
    this.sent++;
  }

  arrived(device: string, value: string | undefined, at = Date.now()): void {
    if (value === undefined) return;
    const byValue = this.pending.get(device);
    const t0 = byValue?.get(value);
    if (t0 === undefined) return;
    for (const [v, t] of byValue!) {
      if (t > t0) break;
      byValue!.delete(v);
      if (v !== value) this.superseded++;
    }
    this.samplesMs.push(at - t0);
  }

  /** Stamps still waiting (sent, neither arrived nor superseded). */
  outstanding(): number {
    let n = 0;
    for (const m of this.pending.values()) n += m.size;
    return n;
  }
}
