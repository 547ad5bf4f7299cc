/**
 * Runs one device: collects each property on its collect cycle, reports fresh values on the
 * report cycle, writes desired values (checked against the model) and derives the device state
 * from the latest outcome of every property.
 */
import { formatTwinValue } from "@kubeedge-ts/contract";
import { checkDesired } from "./convert.js";
import type {
  DeviceConnection,
  DeviceContext,
  DeviceSession,
  DeviceStatus,
  Failure,
  PollingProtocol,
  RuntimeState,
} from "./driver.js";
import type { Logger } from "./logger.js";
import type { ResolvedDevice, ResolvedProperty } from "./profile.js";
import { resolveDataTopic, type ActualValue } from "./twin-messages.js";
import type { DesiredSource } from "./twin-client.js";

interface Reading {
  value: string;
  at: number;
  fresh: boolean;
}

const STATE_RANK: Record<RuntimeState, number> = { online: 0, unhealthy: 1, offline: 2 };

/** The session of a polled device (see pollingDriver). */
export class DeviceRunner<V> implements DeviceSession<V> {
  private readonly conn: DeviceConnection<V>;
  private readonly readings = new Map<string, Reading>();
  private readonly outcomes = new Map<string, Failure | undefined>();
  private readonly refused = new Map<string, string>();
  private writes: Promise<void> = Promise.resolve();
  private current?: DeviceStatus;
  private stopped = false;
  private readonly log: Logger;

  constructor(
    readonly device: ResolvedDevice<V>,
    private readonly protocol: PollingProtocol<V>,
    private readonly deps: DeviceContext,
  ) {
    this.log = deps.log;
    this.conn = protocol.open(device);
  }

  private key(what: string): string {
    return `${this.device.id}\u0000${what}`;
  }

  start(): void {
    for (const prop of this.device.properties) {
      this.deps.scheduler.every(this.key(`collect:${prop.name}`), prop.collectCycleMs, () =>
        this.collect(prop),
      );
    }
    const cycles = this.device.properties.map(p => p.reportCycleMs);
    if (cycles.length > 0) {
      this.deps.scheduler.every(this.key("report"), Math.min(...cycles), () => this.report(), {
        immediate: false,
      });
    }
    void this.deps.twin.requestTwin(this.device.id);
    this.log.info({ properties: this.device.properties.map(p => p.name) }, "device started");
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.deps.scheduler.cancelPrefix(this.key(""));
    // A removed device must not linger as a stale series on /metrics.
    for (const state of Object.keys(STATE_RANK)) {
      this.deps.metrics?.deviceState.remove({ device: this.device.id, state });
    }
    await this.writes;
    await this.conn.close();
  }

  get state(): DeviceStatus | undefined {
    return this.current;
  }

  /** Publishes the current state again (after an MQTT reconnect). */
  republish(): void {
    if (this.current)
      void this.deps.twin.publishState(this.device.id, this.current.state, this.current.reason);
    void this.deps.twin.requestTwin(this.device.id);
  }

  async collect(prop: ResolvedProperty<V>): Promise<void> {
    const protocol = this.protocol.protocol;
    const end = this.deps.metrics?.readSeconds.startTimer({ protocol });
    try {
      const value = await this.conn.read(prop);
      const text = formatTwinValue(prop.property.dataType, value);
      this.readings.set(prop.name, { value: text, at: Date.now(), fresh: true });
      this.outcomes.set(prop.name, undefined);
      this.deps.metrics?.reads.inc({ protocol, result: "ok" });
    } catch (err) {
      const failure = this.protocol.classify(err);
      this.outcomes.set(prop.name, failure);
      this.deps.metrics?.reads.inc({ protocol, result: failure.state });
      this.log.debug({ property: prop.name, reason: failure.reason }, "read failed");
    } finally {
      end?.();
    }
    if (!this.stopped) this.updateState();
  }

  private updateState(): void {
    let worst: DeviceStatus = { state: "online" };
    for (const [name, f] of this.outcomes) {
      if (f && STATE_RANK[f.state] > STATE_RANK[worst.state])
        worst = { state: f.state, reason: `${name}: ${f.reason}` };
    }
    if (this.current?.state === worst.state) {
      // Only a state change is published: reasons of one outage vary from read to read (which
      // property failed first), and republishing them would flood the state topic.
      this.current = worst;
      return;
    }
    const previous = this.current?.state;
    this.current = worst;
    const level = worst.state === "online" ? "info" : "warn";
    this.log[level]({ state: worst.state, previous, reason: worst.reason }, "device state changed");
    if (this.deps.metrics) {
      for (const s of Object.keys(STATE_RANK)) {
        this.deps.metrics.deviceState.set(
          { device: this.device.id, state: s },
          s === worst.state ? 1 : 0,
        );
      }
    }
    void this.deps.twin.publishState(this.device.id, worst.state, worst.reason);
  }

  /** Publishes values read since the last report, so an idle cycle sends nothing. */
  async report(only?: string): Promise<void> {
    const values: Record<string, ActualValue> = {};
    for (const prop of this.device.properties) {
      const r = this.readings.get(prop.name);
      if (!r || !r.fresh || (only !== undefined && only !== prop.name)) continue;
      values[prop.name] = { value: r.value, type: prop.property.dataType, timestamp: r.at };
      r.fresh = false;
    }
    if (Object.keys(values).length === 0) return;
    const sent = await this.deps.twin.publishActual(this.device.id, values);
    this.deps.metrics?.twinPublishes.inc({ kind: "twin", result: sent ? "sent" : "dropped" });
    await this.reportData(values);
  }

  /** Properties named in the device's `data` section also go out as time series. */
  private async reportData(values: Record<string, ActualValue>): Promise<void> {
    const data = this.device.data;
    const names = new Set((data?.dataProperties ?? []).map(p => p.propertyName));
    const picked = Object.fromEntries(Object.entries(values).filter(([name]) => names.has(name)));
    if (Object.keys(picked).length === 0 || !this.deps.twin.publishData) return;
    const topic = resolveDataTopic(this.device.id, data?.dataTopic);
    const sent = await this.deps.twin.publishData(topic, picked);
    this.deps.metrics?.twinPublishes.inc({ kind: "data", result: sent ? "sent" : "dropped" });
  }

  /** Queues desired values; writes run one at a time per device, in arrival order. */
  applyDesired(desired: Record<string, string>, source: DesiredSource): Promise<void> {
    this.writes = this.writes.then(() => this.writeAll(desired, source));
    return this.writes;
  }

  private async writeAll(desired: Record<string, string>, source: DesiredSource): Promise<void> {
    for (const [name, text] of Object.entries(desired)) {
      if (this.stopped) return;
      const prop = this.device.properties.find(p => p.name === name);
      if (!prop) {
        if (source === "delta")
          this.log.debug({ property: name }, "desired value for a property without visitor");
        continue;
      }
      // twin/get returns every expected value; only act on those the device does not hold.
      if (source === "get" && this.readings.get(name)?.value === text) continue;
      await this.writeOne(prop, text);
    }
  }

  private async writeOne(prop: ResolvedProperty<V>, text: string): Promise<void> {
    const protocol = this.protocol.protocol;
    const checked = checkDesired(prop.property, text);
    if (!checked.ok) {
      // The edge agent repeats a delta on every report while it persists; log it once.
      if (this.refused.get(prop.name) !== text)
        this.log.warn(
          { property: prop.name, value: text, reason: checked.reason },
          "desired value refused",
        );
      this.refused.set(prop.name, text);
      this.deps.metrics?.writes.inc({ protocol, result: "refused" });
      return;
    }
    this.refused.delete(prop.name);
    try {
      await this.conn.write(prop, checked.value);
      this.deps.metrics?.writes.inc({ protocol, result: "ok" });
      this.log.info({ property: prop.name, value: text }, "desired value written");
    } catch (err) {
      const failure = this.protocol.classify(err);
      this.deps.metrics?.writes.inc({ protocol, result: "failed" });
      this.log.warn(
        { property: prop.name, value: text, reason: failure.reason },
        "desired value write failed",
      );
      return;
    }
    // Read back and report at once so the twin's actual value follows the write.
    await this.collect(prop);
    await this.report(prop.name);
  }
}
