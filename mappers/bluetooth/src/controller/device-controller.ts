/**
 * One Bluetooth device: its link, its action manager, scheduler and watcher (seeds' manual
 * 31.3), and its runtime configuration. Values read, written or notified go to the twin topics;
 * connection changes go to the state topic.
 */
import { BluetoothMapperTopicSuffix as Suffix } from "@kubeedge-ts/contract";
import type { BluetoothVisitorConfig } from "@kubeedge-ts/contract";
import type { DeviceSession, DeviceStatus, Logger, TwinPort } from "@kubeedge-ts/mapper-common";
import * as ops from "../actions/config-ops.js";
import { performAction, type ActionOutcome } from "../actions/perform.js";
import { ScheduleRunner } from "../actions/schedule-runner.js";
import type { WatchStep } from "../actions/watch-plan.js";
import { parseActions, parseNames, parseSchedules, parseWatcher } from "../config/parse.js";
import { sameName } from "../config/references.js";
import type { MapperConfig } from "../config/types.js";
import { decodeRead } from "../convert/value-codec.js";
import type { BluetoothDevice } from "../profile/bluetooth-spec.js";
import type { BleLink } from "../ble/link.js";
import type { RuntimeReply, ScheduleResultMessage } from "./runtime-reply.js";
import { Reporter } from "./reporter.js";
import { WatcherRunner } from "./watcher-runner.js";

export interface ControllerPorts {
  twin: Pick<TwinPort, "publishActual" | "publishState" | "requestTwin">;
  publishScheduleResult(deviceId: string, result: ScheduleResultMessage): void;
  onAction?(outcome: { kind: string; ok: boolean }): void;
  onState?(deviceId: string, state: string): void;
}

type Link = Pick<
  BleLink,
  | "connected"
  | "waitConnected"
  | "read"
  | "write"
  | "subscribe"
  | "canNotify"
  | "on"
  | "start"
  | "stop"
>;

export type DeviceState = "online" | "offline";

export class DeviceController implements DeviceSession<BluetoothVisitorConfig> {
  private readonly expected = new Map<string, string>();
  private readonly reporter: Reporter;
  private readonly schedules = new Map<string, ScheduleRunner>();
  private readonly immediate = new Set<string>();
  private readonly watcher: WatcherRunner;
  private current: DeviceState = "offline";

  constructor(
    readonly device: BluetoothDevice,
    private config: MapperConfig,
    private readonly link: Link,
    private readonly ports: ControllerPorts,
    private readonly log: Logger,
  ) {
    for (const t of device.twins) {
      // An empty desired value only declares the twin (KubeEdge style): nothing to write.
      if (t.desired?.value) this.expected.set(t.propertyName, t.desired.value);
    }
    this.reporter = new Reporter(device, ports.twin);
    config.actions.filter(a => a.performImmediately).forEach(a => this.immediate.add(a.name));
    this.watcher = new WatcherRunner({
      watcher: () => this.config.watcher,
      expected: this.expected,
      actual: this.reporter.actual,
      connected: () => this.link.connected,
      runStep: step => this.runWatchStep(step),
      log,
    });
  }

  get state(): DeviceStatus {
    return { state: this.current };
  }

  get configuration(): MapperConfig {
    return this.config;
  }

  /** The running schedule of that name (names are case-insensitive). */
  schedule(name: string): Pick<ScheduleRunner, "spec" | "runs" | "finished"> | undefined {
    return this.schedules.get(name.toLowerCase());
  }

  surface(): ops.DeviceSurface {
    return {
      id: this.device.id,
      properties: this.device.model.properties.map(p => p.name),
      visitedProperties: this.device.properties.map(p => p.name),
    };
  }

  start(): void {
    this.link.on("connected", () => void this.onConnected());
    this.link.on("disconnected", () => this.setState("offline"));
    this.setState("offline", true);
    this.syncSchedules();
    this.link.start();
  }

  async stop(): Promise<void> {
    this.watcher.stop();
    this.reporter.stop();
    await Promise.all([...this.schedules.values()].map(s => s.stop()));
    await this.link.stop();
  }

  /** Republishes the state and asks for the twin, after the broker connection came back. */
  republish(): void {
    void this.ports.twin.publishState(this.device.id, this.current);
    if (this.link.connected) void this.ports.twin.requestTwin(this.device.id);
  }

  /** Desired values from a delta or a twin/get result: the watcher moves the device there. */
  applyDesired(desired: Record<string, string>): void {
    for (const [k, v] of Object.entries(desired)) this.expected.set(k, v);
    this.watcher.kick();
  }

  /** Handles a runtime configuration message; changes nothing unless the reply is 200. */
  applyRuntime(suffix: Suffix, payload: unknown): RuntimeReply {
    const result = this.runtimeOp(suffix, payload);
    if (!result.ok) {
      const errors = "errors" in result ? result.errors : [];
      return { code: result.code, reason: errors.join("; "), errors };
    }
    this.config = result.config;
    // Creating a schedule again restarts it, as KubeEdge did, even with an unchanged spec.
    this.syncSchedules(suffix === Suffix.SchedulerCreate ? result.changed : []);
    if (suffix === Suffix.ActionManagerCreate) this.queueImmediate(payload);
    this.watcher.kick();
    const what = suffix.slice(1).replace("/", " ");
    return {
      code: 200,
      reason: `${what}: ${result.changed.join(", ") || "(none)"}`,
      warnings: result.warnings,
    };
  }

  private runtimeOp(suffix: Suffix, payload: unknown): ops.OpResult {
    const bad = (errors: string[]): ops.OpResult => ({ ok: false, code: 400, errors });
    const c = this.config;
    switch (suffix) {
      case Suffix.ActionManagerCreate: {
        const p = parseActions(payload);
        return p.ok ? ops.createActions(c, p.value, this.surface()) : bad(p.errors);
      }
      case Suffix.ActionManagerDelete: {
        const p = parseNames(payload, "actions");
        return p.ok ? ops.deleteActions(c, p.value) : bad(p.errors);
      }
      case Suffix.SchedulerCreate: {
        const p = parseSchedules(payload);
        return p.ok ? ops.createSchedules(c, p.value) : bad(p.errors);
      }
      case Suffix.SchedulerDelete: {
        const p = parseNames(payload, "schedules");
        return p.ok ? ops.deleteSchedules(c, p.value) : bad(p.errors);
      }
      case Suffix.WatcherCreate: {
        const p = parseWatcher(payload);
        return p.ok ? ops.replaceWatcher(c, p.value, this.surface()) : bad(p.errors);
      }
      default:
        return bad([`${suffix} is not a configuration topic`]);
    }
  }

  /** Performs a named action and reports the value it read or wrote. */
  async perform(name: string, value?: string): Promise<ActionOutcome> {
    const action = this.config.actions.find(a => sameName(a.name, name));
    if (!action) throw new Error(`action "${name}" does not exist for device ${this.device.id}`);
    const prop = this.reporter.property(action.propertyName);
    if (!prop)
      throw new Error(`action "${name}": property "${action.propertyName}" has no visitor`);
    try {
      const out = await performAction(
        action,
        { property: prop.property, visitor: prop.config },
        this.link,
        value,
      );
      this.ports.onAction?.({ kind: out.kind, ok: true });
      if (out.kind === "read") this.reporter.read(prop.name, out.value);
      else await this.reporter.written(prop.name, out.value);
      return out;
    } catch (err) {
      this.ports.onAction?.({ kind: "action", ok: false });
      throw err;
    }
  }

  private setState(state: DeviceState, force = false): void {
    if (state === this.current && !force) return;
    this.current = state;
    this.ports.onState?.(this.device.id, state);
    void this.ports.twin.publishState(this.device.id, state);
  }

  private async onConnected(): Promise<void> {
    // The device may have been reset while away: what it held before no longer counts.
    this.reporter.actual.clear();
    this.setState("online");
    for (const name of [...this.immediate]) {
      if (!this.config.actions.some(a => sameName(a.name, name))) {
        this.immediate.delete(name); // deleted at run time before it could run
        continue;
      }
      await this.perform(name).then(
        () => this.immediate.delete(name),
        (err: Error) =>
          this.log.warn({ action: name, err: err.message }, "immediate action failed"),
      );
    }
    await this.subscribeNotifications();
    void this.ports.twin.requestTwin(this.device.id);
    this.watcher.kick();
  }

  private async subscribeNotifications(): Promise<void> {
    for (const p of this.device.properties) {
      const uuid = p.config.characteristicUUID;
      const optOut = p.visitor.customizedValues?.notify === false;
      if (p.property.accessMode !== "ReadOnly" || optOut || !this.link.canNotify(uuid)) continue;
      await this.link
        .subscribe(uuid, data => {
          const decoded = decodeRead(data, p.config, p.property.dataType);
          if (decoded.ok) this.reporter.read(p.name, decoded.value);
          else this.log.warn({ property: p.name, reason: decoded.reason }, "bad notification");
        })
        .catch((err: Error) =>
          this.log.warn({ property: p.name, err: err.message }, "cannot subscribe"),
        );
    }
  }

  private async runWatchStep(step: WatchStep): Promise<void> {
    let touched = false;
    for (const name of step.actions) {
      const action = this.config.actions.find(a => sameName(a.name, name));
      const own = action !== undefined && sameName(action.propertyName, step.propertyName);
      const out = await this.perform(name, own ? step.expected : undefined);
      touched ||= sameName(out.property, step.propertyName);
    }
    // Actions that only touch other properties (the manual's IOControl example): the value is
    // reached once they all succeeded.
    if (!touched) await this.reporter.written(step.propertyName, step.expected);
  }

  private queueImmediate(payload: unknown): void {
    const parsed = parseActions(payload);
    if (!parsed.ok) return;
    parsed.value.filter(a => a.performImmediately).forEach(a => this.immediate.add(a.name));
    if (!this.link.connected) return;
    for (const a of parsed.value.filter(x => x.performImmediately)) {
      void this.perform(a.name).then(
        () => this.immediate.delete(a.name),
        (err: Error) =>
          this.log.warn({ action: a.name, err: err.message }, "immediate action failed"),
      );
    }
  }

  private syncSchedules(restart: string[] = []): void {
    const wanted = new Map(this.config.schedules.map(s => [s.name.toLowerCase(), s]));
    const forced = new Set(restart.map(n => n.toLowerCase()));
    for (const [key, runner] of this.schedules) {
      const spec = wanted.get(key);
      const same = spec && JSON.stringify(spec) === JSON.stringify(runner.spec);
      if (same && !forced.has(key)) continue;
      void runner.stop();
      this.schedules.delete(key);
    }
    for (const [key, spec] of wanted) {
      if (this.schedules.has(key)) continue;
      const runner = new ScheduleRunner(spec, {
        ready: () => this.link.waitConnected(),
        perform: name => this.perform(name),
        onResult: (schedule, action, r) =>
          this.ports.publishScheduleResult(this.device.id, {
            EventName: action,
            TimeStamp: Date.now(),
            EventResult: r.value ?? "",
            schedule,
            ...(r.error ? { error: r.error } : {}),
          }),
      });
      this.schedules.set(key, runner);
      runner.start();
    }
  }
}
