/**
 * Reported values → Device status writes, at most one per device per report cycle and no more
 * than `maxWritesPerSecond` overall. KubeEdge wrote every reading through (users saw the
 * apiserver at 300% CPU from a mapper reporting every 3 s); here readings of one device merge
 * while its cycle runs (last value per property wins) and only the merge goes to the outbox,
 * which merges again while the cloud is away.
 */
import {
  mergeDeviceStatus,
  type DeviceStatusPatch,
  type DeviceStatusReport,
} from "../store/device-status.js";
import { TokenBucket } from "../util/token-bucket.js";

export interface ReporterOptions {
  /** Cycle of a device whose profile names none. */
  defaultCycleMs?: number;
  /** Floor on any cycle, whatever the profile says. */
  minCycleMs?: number;
  maxWritesPerSecond?: number;
  now?: () => number;
}

interface Slot {
  namespace: string;
  name: string;
  pending?: DeviceStatusReport;
  lastFlush: number;
  cycleMs: number;
  timer?: NodeJS.Timeout;
}

export const DEFAULT_REPORT_CYCLE_MS = 1000;
export const MIN_REPORT_CYCLE_MS = 100;
export const DEFAULT_MAX_WRITES_PER_SECOND = 100;

export class StatusReporter {
  private readonly slots = new Map<string, Slot>();
  private readonly bucket: TokenBucket;
  private readonly now: () => number;
  private readonly defaultCycleMs: number;
  private readonly minCycleMs: number;
  writes = 0;

  constructor(
    private readonly sink: (report: DeviceStatusReport) => void,
    opts: ReporterOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.defaultCycleMs = opts.defaultCycleMs ?? DEFAULT_REPORT_CYCLE_MS;
    this.minCycleMs = opts.minCycleMs ?? MIN_REPORT_CYCLE_MS;
    this.bucket = new TokenBucket(
      opts.maxWritesPerSecond ?? DEFAULT_MAX_WRITES_PER_SECOND,
      this.now,
    );
  }

  /** Queues a status change of Device `namespace/name`; it is written when its cycle allows. */
  report(namespace: string, name: string, status: DeviceStatusPatch, cycleMs?: number): void {
    const key = `${namespace}/${name}`;
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { namespace, name, lastFlush: -Infinity, cycleMs: this.defaultCycleMs };
      this.slots.set(key, slot);
    }
    slot.cycleMs = Math.max(this.minCycleMs, cycleMs ?? this.defaultCycleMs);
    const next: DeviceStatusReport = { namespace, name, status };
    slot.pending = slot.pending ? mergeDeviceStatus(slot.pending, next) : next;
    if (!slot.timer) this.schedule(slot, slot.lastFlush + slot.cycleMs - this.now());
  }

  /** Devices with a write waiting for their cycle or a token. */
  pendingDevices(): number {
    let n = 0;
    for (const s of this.slots.values()) if (s.pending) n++;
    return n;
  }

  /** Writes everything pending now (at shutdown: the outbox keeps it durable). */
  flushAll(): void {
    for (const slot of this.slots.values()) {
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = undefined;
      this.write(slot);
    }
  }

  /** Forgets a device that left the node (its pending write is dropped: the cloud would refuse it). */
  forget(namespace: string, name: string): void {
    const slot = this.slots.get(`${namespace}/${name}`);
    if (slot?.timer) clearTimeout(slot.timer);
    this.slots.delete(`${namespace}/${name}`);
  }

  stop(): void {
    for (const slot of this.slots.values()) if (slot.timer) clearTimeout(slot.timer);
  }

  private schedule(slot: Slot, delayMs: number): void {
    slot.timer = setTimeout(() => this.fire(slot), Math.max(0, delayMs));
    slot.timer.unref?.();
  }

  private fire(slot: Slot): void {
    slot.timer = undefined;
    if (!slot.pending) return;
    const wait = this.bucket.take();
    if (wait > 0) return this.schedule(slot, wait);
    this.write(slot);
  }

  private write(slot: Slot): void {
    if (!slot.pending) return;
    const report = slot.pending;
    slot.pending = undefined;
    slot.lastFlush = this.now();
    this.writes++;
    this.sink(report);
  }
}
