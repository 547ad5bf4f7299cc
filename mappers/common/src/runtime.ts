/**
 * The generic mapper: keeps one DeviceRunner per valid device of the driver's protocol, in step
 * with the profile (devices whose entries changed are restarted, removed ones stopped), and
 * routes desired values from the twin client to the right device.
 */
import type { DeviceProfile } from "@kubeedge-ts/contract";
import { DeviceRunner } from "./device-runner.js";
import type { ProtocolDriver, RuntimeState, TwinPort } from "./driver.js";
import type { Logger } from "./logger.js";
import type { MapperMetrics } from "./metrics.js";
import { createDeviceSelector, parseProfile, type Selection } from "./profile.js";
import { Scheduler } from "./scheduler.js";

export interface MapperRuntimeOptions<V> {
  driver: ProtocolDriver<V>;
  twin: TwinPort;
  log: Logger;
  metrics?: MapperMetrics;
}

export class MapperRuntime<V> {
  private readonly runners = new Map<string, DeviceRunner<V>>();
  private readonly select: (p: DeviceProfile) => Selection<V>;
  private readonly scheduler: Scheduler;
  private readonly log: Logger;
  private applying: Promise<unknown> = Promise.resolve();
  private loaded = false;

  constructor(private readonly opts: MapperRuntimeOptions<V>) {
    this.log = opts.log.child({ component: "runtime", protocol: opts.driver.protocol });
    this.scheduler = new Scheduler(this.log);
    this.select = createDeviceSelector(opts.driver);
    opts.twin.onDesired((id, desired, source) => {
      const runner = this.runners.get(id);
      if (runner) void runner.applyDesired(desired, source);
    });
    opts.twin.onConnect(() => this.runners.forEach(r => r.republish()));
  }

  /** True once a valid profile has been applied. */
  get ready(): boolean {
    return this.loaded;
  }

  deviceIds(): string[] {
    return [...this.runners.keys()];
  }

  states(): Record<string, { state: RuntimeState; reason?: string } | undefined> {
    return Object.fromEntries([...this.runners].map(([id, r]) => [id, r.state]));
  }

  runner(id: string): DeviceRunner<V> | undefined {
    return this.runners.get(id);
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
    this.applying = next.catch(() => undefined);
    return next;
  }

  private async reconcile(profile: DeviceProfile): Promise<Selection<V>> {
    const selection = this.select(profile);
    for (const p of selection.problems) {
      this.log.error(
        { device: p.device, field: p.field, reason: p.reason },
        `device ${p.device} refused: ${p.field} ${p.reason}`,
      );
    }
    const wanted = new Map(selection.devices.map(d => [d.id, d]));
    for (const [id, runner] of this.runners) {
      if (wanted.get(id)?.fingerprint === runner.device.fingerprint) continue;
      this.runners.delete(id);
      await runner.stop();
      this.log.info(
        { device: id },
        wanted.has(id) ? "device changed; restarting" : "device removed",
      );
    }
    for (const device of selection.devices) {
      if (this.runners.has(device.id)) continue;
      const runner = new DeviceRunner(device, { ...this.opts, scheduler: this.scheduler });
      this.runners.set(device.id, runner);
      runner.start();
    }
    const protocol = this.opts.driver.protocol;
    this.opts.metrics?.devices.set({ protocol }, this.runners.size);
    this.opts.metrics?.refusedDevices.set(
      { protocol },
      new Set(selection.problems.map(p => p.device)).size,
    );
    this.loaded = true;
    this.log.info(
      { devices: this.runners.size, refused: selection.problems.length },
      "profile applied",
    );
    return selection;
  }

  async stop(): Promise<void> {
    await this.applying;
    this.scheduler.stop();
    await Promise.all([...this.runners.values()].map(r => r.stop()));
    this.runners.clear();
    await this.opts.driver.close?.();
  }
}
