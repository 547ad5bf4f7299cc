/**
 * The generic mapper: keeps one DeviceSession per valid device of the driver's protocol, in step
 * with the profile (devices whose entries changed are restarted, removed ones stopped), routes
 * desired values from the twin client to the right device, and serves the driver's own topics.
 */
import type { DeviceProfile } from "@kubeedge-ts/contract";
import type {
  DeviceSession,
  DeviceStatus,
  ProtocolDriver,
  TopicContext,
  TopicPort,
  TwinPort,
} from "./driver.js";
import type { Logger } from "./logger.js";
import type { MapperMetrics } from "./metrics.js";
import { createDeviceSelector, parseProfile, type Selection } from "./profile.js";
import { Scheduler } from "./scheduler.js";

export interface MapperRuntimeOptions<V, S extends DeviceSession<V>> {
  driver: ProtocolDriver<V, S>;
  twin: TwinPort;
  /** Needed by drivers with topics of their own; runMapper passes its TwinClient. */
  topics?: TopicPort;
  log: Logger;
  metrics?: MapperMetrics;
}

export class MapperRuntime<V, S extends DeviceSession<V> = DeviceSession<V>> {
  private readonly sessions = new Map<string, S>();
  private readonly select: (p: DeviceProfile) => Selection<V>;
  private readonly scheduler: Scheduler;
  private readonly log: Logger;
  private applying: Promise<unknown> = Promise.resolve();
  private loaded = false;

  constructor(private readonly opts: MapperRuntimeOptions<V, S>) {
    const { driver, twin, topics } = opts;
    this.log = opts.log.child({ component: "runtime", protocol: driver.protocol });
    this.scheduler = new Scheduler(this.log);
    this.select = createDeviceSelector(driver);
    twin.onDesired((id, desired, source) => {
      const session = this.session(id);
      this.log.debug({ device: id, source, desired, known: !!session }, "desired values");
      session?.applyDesired(desired, source);
    });
    twin.onConnect(() => this.sessions.forEach(s => s.republish()));
    const extension = driver.topics;
    if (extension && topics) {
      const ctx: TopicContext<S> = {
        session: id => this.session(id),
        publish: (topic, message) => topics.publishMessage(topic, message),
        log: this.log,
      };
      topics.onMessage((topic, payload) => extension.onMessage(topic, payload, ctx));
    }
  }

  /** True once a valid profile has been applied. */
  get ready(): boolean {
    return this.loaded;
  }

  deviceIds(): string[] {
    return [...this.sessions.keys()];
  }

  states(): Record<string, DeviceStatus | undefined> {
    return Object.fromEntries([...this.sessions].map(([id, s]) => [id, s.state]));
  }

  /** A running device by id, or by bare name when unambiguous (KubeEdge <= 1.16 topics). */
  session(id: string): S | undefined {
    const exact = this.sessions.get(id);
    if (exact || id.includes("/")) return exact;
    const byName = [...this.sessions.values()].filter(s => s.device.name === id);
    return byName.length === 1 ? byName[0] : undefined;
  }

  /** Applies the profile file's text; an unparsable file keeps the devices that run now. */
  applyProfileText(text: string): Promise<Selection<V> | undefined> {
    const parsed = parseProfile(text);
    if (!parsed.ok) {
      this.opts.metrics?.profileLoads.inc({ result: "invalid" });
      this.log.error({ reason: parsed.reason }, "profile refused; keeping the current devices");
      return Promise.resolve(undefined);
    }
    this.opts.metrics?.profileLoads.inc({ result: "ok" });
    return this.applyProfile(parsed.value);
  }

  applyProfile(profile: DeviceProfile): Promise<Selection<V>> {
    const next = this.applying.then(() => this.reconcile(profile));
    this.applying = next.catch(err =>
      this.log.error({ err: (err as Error).message }, "profile apply failed"),
    );
    return next;
  }

  private async reconcile(profile: DeviceProfile): Promise<Selection<V>> {
    const { driver, metrics } = this.opts;
    const selection = this.select(profile);
    for (const p of selection.problems) {
      this.log.error(
        { device: p.device, field: p.field, reason: p.reason },
        `device ${p.device} refused: ${p.field} ${p.reason}`,
      );
    }
    const accepted = selection.devices.filter(d => driver.accepts?.(d) ?? true);
    const wanted = new Map(accepted.map(d => [d.id, d]));
    for (const [id, session] of this.sessions) {
      if (wanted.get(id)?.fingerprint === session.device.fingerprint) continue;
      this.sessions.delete(id);
      await session.stop();
      this.log.info(
        { device: id },
        wanted.has(id) ? "device changed; restarting" : "device removed",
      );
    }
    for (const device of accepted) {
      if (this.sessions.has(device.id)) continue;
      const session = driver.createSession(device, {
        twin: this.opts.twin,
        topics: this.opts.topics,
        scheduler: this.scheduler,
        log: this.opts.log.child({ device: device.id }),
        metrics,
      });
      this.sessions.set(device.id, session);
      session.start();
    }
    if (driver.topics && this.opts.topics)
      await this.opts.topics.listen(driver.topics.subscriptions(this.sessions));
    metrics?.devices.set({ protocol: driver.protocol }, this.sessions.size);
    metrics?.refusedDevices.set(
      { protocol: driver.protocol },
      new Set(selection.problems.map(p => p.device)).size,
    );
    this.loaded = true;
    this.log.info(
      { devices: this.sessions.size, refused: selection.problems.length },
      "profile applied",
    );
    return selection;
  }

  async stop(): Promise<void> {
    await this.applying;
    this.scheduler.stop();
    await Promise.all([...this.sessions.values()].map(s => s.stop()));
    this.sessions.clear();
    await this.opts.driver.close?.();
  }
}
