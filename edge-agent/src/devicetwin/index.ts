/**
 * DeviceTwin (KubeEdge's twin module): membership, twins and device state of the node's
 * devices, kept in SQLite; fed by MQTT messages the EventBus forwards and by the device
 * profiles the meta manager delivers; reports to the cloud through the outbox.
 */
import { profileConfigMapName } from "@kubeedge-ts/contract";
import type { Message } from "../beehive/message.js";
import type { AgentModule, ModuleContext } from "../beehive/module.js";
import { Group, ModuleName, Operation } from "../beehive/names.js";
import type { AgentConfig } from "../config/types.js";
import type { KubeObject } from "../kube/client.js";
import { enqueueDeviceStatus } from "../store/device-status.js";
import { OutboxKind } from "../store/outbox.js";
import { BusOperation, type InboundMessage } from "../eventbus/routes.js";
import { CloudDesired } from "./cloud-desired.js";
import { TwinEngine } from "./engine.js";
import {
  PROFILE_REFUSALS_METRIC,
  PROFILE_UNAPPLIED_METRIC,
  ProfileRefusals,
} from "./profile-refusals.js";
import { ProfileSync } from "./profile-sync.js";
import { DEVICETWIN_MIGRATIONS } from "./migrations.js";
import { profileFromConfigMap, type ProfileSource } from "./profile.js";
import { StatusReporter, type ReporterOptions } from "./reporter.js";
import { TwinState } from "./state.js";
import { DeviceTwinTables } from "./tables.js";
import type { Publish } from "./types.js";

export { DEVICETWIN_MIGRATIONS } from "./migrations.js";
export { TwinEngine } from "./engine.js";
export { TwinState } from "./state.js";
export { DeviceTwinTables } from "./tables.js";
export { StatusReporter } from "./reporter.js";

/** Replies held back at most before the batch is stored and they are published. */
const MAX_BATCH = 1000;
/**
 * Payload bytes handled in one go before the batch is stored and the event loop gets a turn:
 * a burst of maximum-size updates parsed, merged and stored in one synchronous stretch stalled
 * the loop (and with it the Lease renewal) for seconds.
 */
export const CHUNK_BYTES = 256 * 1024;

export interface DeviceTwinOptions {
  reporter?: ReporterOptions;
}

export class DeviceTwinModule implements AgentModule {
  readonly name = ModuleName.DeviceTwin;
  readonly group = Group.Twin;
  readonly migrations = DEVICETWIN_MIGRATIONS;
  state?: TwinState;
  engine?: TwinEngine;
  reporter?: StatusReporter;
  private sync?: ProfileSync;
  private ctx?: ModuleContext;
  private readonly sources = new Map<string, ProfileSource>();
  private applyQueued = false;
  /** Replies of the current batch, published once its writes are stored. */
  private replies: Publish[] = [];
  /** Called after each profile apply (tests and the bench measure desired → delta with it). */
  onProfileApplied?: (publishes: Publish[]) => void;

  constructor(private readonly options: DeviceTwinOptions = {}) {}

  enabled(config: AgentConfig): boolean {
    return config.modules.deviceTwin.enable;
  }

  async start(ctx: ModuleContext): Promise<void> {
    this.ctx = ctx;
    const state = new TwinState(new DeviceTwinTables(ctx.db));
    const restored = state.load();
    state.setBatching(true);
    const writes = ctx.metrics.counter(
      "kubeedge_edge_twin_status_reports_total",
      "Device status reports queued for the cloud",
    );
    const reporter = new StatusReporter(report => {
      enqueueDeviceStatus(ctx.outbox, report);
      writes.inc();
    }, this.options.reporter);
    const engine = new TwinEngine({
      state,
      nodeName: ctx.nodeName,
      reporter,
      log: ctx.log,
      maxTwinsPerDevice: ctx.config.modules.deviceTwin.maxTwinsPerDevice,
    });
    this.state = state;
    this.engine = engine;
    this.reporter = reporter;
    this.sync = new ProfileSync({
      state,
      engine,
      nodeName: ctx.nodeName,
      log: ctx.log,
      onRemoved: d => reporter.forget(d.namespace, d.name),
      refusals: this.profileRefusals(ctx),
      cloudDesired: new CloudDesired(ctx.db),
    });
    ctx.metrics.gauge(
      "kubeedge_edge_twin_devices",
      "Devices that are members of this node",
      () => state.size,
    );
    ctx.metrics.gauge(
      "kubeedge_edge_twin_messages_handled",
      "MQTT messages DeviceTwin handled",
      () => engine.handled,
    );
    ctx.metrics.gauge(
      "kubeedge_edge_twin_messages_refused",
      "MQTT messages answered with an error",
      () => engine.refused,
    );
    ctx.metrics.gauge(
      "kubeedge_edge_twin_reports_pending",
      "Devices with a status write waiting for its report cycle",
      () => reporter.pendingDevices(),
    );
    // Cached profiles arrive as the meta manager's Restore messages, already in the mailbox:
    // all of them are taken before the one coalesced apply runs. With none cached (first
    // start, cloud not yet synced) nothing is applied and the devices SQLite holds stay.
    ctx.log.info({ devices: restored }, "device twin started");
    void this.serve(ctx);
  }

  private profileRefusals(ctx: ModuleContext): ProfileRefusals {
    const refusals = new ProfileRefusals({
      emit: (key, event) => ctx.outbox.enqueue(OutboxKind.Event, key, event),
      refusals: ctx.metrics.counter(
        PROFILE_REFUSALS_METRIC,
        "Profile updates from the cloud DeviceTwin could not apply, by KubeEdge error code",
      ),
      log: ctx.log,
    });
    ctx.metrics.gauge(
      PROFILE_UNAPPLIED_METRIC,
      "Devices whose latest desired twins from the cloud are refused",
      () => refusals.size,
    );
    return refusals;
  }

  async stop(): Promise<void> {
    if (this.ctx) this.commit();
    this.reporter?.flushAll();
    this.reporter?.stop();
  }

  private async serve(ctx: ModuleContext): Promise<void> {
    for await (const m of ctx.bus.messages(this.name)) {
      try {
        await this.receive(m);
      } catch (error) {
        ctx.log.error({ err: error, resource: m.router.resource }, "twin message failed");
      }
      // Group commit: one transaction per burst of messages (or per MAX_BATCH of them).
      if (ctx.bus.depth(this.name) === 0 || this.replies.length >= MAX_BATCH) this.commit();
    }
  }

  /** Stores the batch, then publishes its replies. */
  private commit(): void {
    try {
      this.state!.flush();
    } catch (error) {
      // Memory was reloaded from SQLite; the replies would describe writes that did not happen.
      this.ctx!.log.error({ err: error, replies: this.replies.length }, "twin batch not stored");
      this.replies = [];
      return;
    }
    const replies = this.replies;
    this.replies = [];
    this.publishAll(replies);
  }

  private async receive(m: Message): Promise<void> {
    if (m.router.operation === BusOperation.MqttMessageBatch) {
      let bytes = 0;
      for (const { topic, payload, setsDesired } of m.content as InboundMessage[]) {
        this.replies.push(...this.engine!.handle(topic, payload, { setsDesired }));
        bytes += payload.length;
        if (this.replies.length >= MAX_BATCH || bytes >= CHUNK_BYTES) this.commit();
        if (bytes >= CHUNK_BYTES) {
          bytes = 0;
          await new Promise(resolve => setImmediate(resolve));
          // Stopped meanwhile: stop() stored the batch; the database is closing.
          if (this.ctx!.signal.aborted) return;
        }
      }
      return;
    }
    if (m.router.operation === BusOperation.MqttMessage) {
      const payload = typeof m.content === "string" ? m.content : String(m.content ?? "");
      this.replies.push(...this.engine!.handle(m.router.resource, payload));
      return;
    }
    const isProfileOp = [
      Operation.Insert,
      Operation.Update,
      Operation.Delete,
      Operation.Restore,
    ].includes(m.router.operation as Operation);
    if (isProfileOp && typeof m.content === "object" && m.content !== null) {
      if (this.takeProfile(m.content as KubeObject, m.router.operation === Operation.Delete)) {
        this.scheduleApply();
      }
    }
  }

  /** Records a profile ConfigMap of this node; false for any other object. */
  private takeProfile(cm: KubeObject, deleted: boolean): boolean {
    if (cm.metadata?.name !== profileConfigMapName(this.ctx!.nodeName)) return false;
    const namespace = cm.metadata.namespace ?? "default";
    if (deleted) return this.sources.delete(namespace) || true;
    try {
      this.sources.set(namespace, profileFromConfigMap(cm as never));
    } catch (error) {
      // A broken profile changes nothing: the devices keep what the last good one said.
      this.ctx!.log.error({ err: error, namespace }, "device profile refused");
      return false;
    }
    return true;
  }

  /** Coalesces a burst of profile changes into one apply. */
  private scheduleApply(): void {
    if (this.applyQueued) return;
    this.applyQueued = true;
    setImmediate(() => {
      this.applyQueued = false;
      this.applyProfiles();
    });
  }

  private applyProfiles(): void {
    this.commit();
    const publishes = this.sync!.apply([...this.sources.values()]);
    this.replies.push(...publishes);
    this.commit();
    this.onProfileApplied?.(publishes);
  }

  /** Hands the replies to the EventBus as one bus message (one hop per batch, not per reply). */
  private publishAll(publishes: Publish[]): void {
    const ctx = this.ctx!;
    if (publishes.length === 0 || !ctx.bus.hasModule(ModuleName.EventBus)) return;
    const router = { resource: "mqtt", operation: BusOperation.MqttPublishBatch };
    ctx.send(ModuleName.EventBus, router, publishes);
  }
}
