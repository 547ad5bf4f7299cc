/**
 * EventBus (KubeEdge's eventbus): the MQTT side of the agent. Modes: `internal` (embedded
 * aedes broker, the default), `external` (an existing broker such as mosquitto) and `both`.
 * Subscribes to KubeEdge's topics, forwards device topics to DeviceTwin and upload topics to
 * the cloud (as Kubernetes Events, through the outbox), and publishes what modules send it.
 */
import { DeviceTopicSuffix, EDGE_SUBSCRIPTIONS, parseDeviceTopic } from "@kubeedge-ts/contract";
import type { AgentModule, ModuleContext } from "../beehive/module.js";
import { Group, ModuleName } from "../beehive/names.js";
import type { AgentConfig, EventBusConfig } from "../config/types.js";
import { TokenBucket } from "../util/token-bucket.js";
import { OutboxKind } from "../store/outbox.js";
import { maySetDesired, type AclContext, type Identity } from "./acl.js";
import { InternalBroker } from "./broker.js";
import { loadOrCreateMqttCredentials } from "./credentials.js";
import type { MqttEndpoint, PublishOptions } from "./endpoint.js";
import { ExternalClient } from "./external.js";
import { memberLookup } from "./members.js";
import {
  BusOperation,
  TopicRoute,
  parseListenUrl,
  routeTopic,
  type InboundMessage,
  type OutgoingMessage,
} from "./routes.js";
import { uploadEvent } from "./upload.js";

export { BusOperation } from "./routes.js";
export { InternalBroker } from "./broker.js";
export { loadOrCreateMqttCredentials, credentialsPath } from "./credentials.js";

/** Upload messages turned into Events per second at most (a chatty device must not flood). */
export const MAX_UPLOAD_EVENTS_PER_SECOND = 5;
/** How long start waits for the external broker before going on (it keeps retrying). */
const EXTERNAL_READY_TIMEOUT_MS = 5_000;

export class EventBusModule implements AgentModule {
  readonly name = ModuleName.EventBus;
  readonly group = Group.Bus;
  readonly endpoints: MqttEndpoint[] = [];
  internal?: InternalBroker;
  private publishOpts: PublishOptions = { qos: 0, retain: false };
  private inbound: InboundMessage[] = [];
  private acl?: AclContext;

  enabled(config: AgentConfig): boolean {
    return config.modules.eventBus.enable;
  }

  async start(ctx: ModuleContext): Promise<void> {
    const cfg = ctx.config.modules.eventBus;
    this.publishOpts = { qos: cfg.mqttQOS, retain: cfg.mqttRetain };
    const received = ctx.metrics.counter(
      "kubeedge_edge_eventbus_received_total",
      "MQTT messages received, by route",
    );
    const published = ctx.metrics.counter(
      "kubeedge_edge_eventbus_published_total",
      "MQTT messages published",
    );
    const dropped = ctx.metrics.counter(
      "kubeedge_edge_eventbus_dropped_total",
      "MQTT messages dropped, by reason",
    );
    const uploads = new TokenBucket(MAX_UPLOAD_EVENTS_PER_SECOND, Date.now);
    this.acl = memberLookup(ctx.db, ctx.nodeName);
    const onMessage = (topic: string, payload: Buffer, from?: Identity): void => {
      const route = routeTopic(topic);
      received.inc({ route });
      if (route === TopicRoute.Upload) {
        if (uploads.take() > 0) return dropped.inc({ reason: "upload-rate" });
        this.upload(ctx, topic, payload.toString());
      } else if (ctx.bus.hasModule(ModuleName.DeviceTwin)) {
        this.toTwin(ctx, { topic, payload: payload.toString(), ...this.desiredGrant(topic, from) });
      } else {
        dropped.inc({ reason: "twin-disabled" });
      }
    };
    try {
      await this.connect(ctx, cfg);
      for (const e of this.endpoints) await e.subscribe(EDGE_SUBSCRIPTIONS, onMessage);
    } catch (error) {
      await this.stop();
      throw error;
    }
    ctx.metrics.gauge(
      "kubeedge_edge_eventbus_clients",
      "Clients of the embedded broker",
      () => this.internal?.clients ?? 0,
    );
    void this.serve(ctx, n => published.inc({}, n));
  }

  /** `setsDesired` for a `twin/update` from an application granted its device. */
  private desiredGrant(topic: string, from?: Identity): { setsDesired?: true } {
    const device = parseDeviceTopic(topic);
    if (device?.suffix !== DeviceTopicSuffix.TwinUpdate) return {};
    return maySetDesired(from, device.deviceId, this.acl!) ? { setsDesired: true } : {};
  }

  private async connect(ctx: ModuleContext, cfg: EventBusConfig): Promise<void> {
    if (cfg.mqttMode === "internal" || cfg.mqttMode === "both") {
      const refused = ctx.metrics.counter(
        "kubeedge_edge_mqtt_refused_total",
        "MQTT logins, publishes, subscriptions and packets the embedded broker refused, by reason",
      );
      const applications = cfg.applications.map(a => ({ name: a.name, writes: a.writes ?? [] }));
      const credentials = loadOrCreateMqttCredentials(
        ctx.config.dataDir,
        applications.map(a => a.name),
      );
      const legacy = cfg.mqttUsername
        ? { username: cfg.mqttUsername, password: cfg.mqttPassword ?? "" }
        : undefined;
      this.internal = await InternalBroker.start({
        listen: parseListenUrl(cfg.mqttServerInternal),
        unixSocket: cfg.mqttUnixSocket,
        queueLimit: cfg.mqttSessionQueueSize,
        auth: { allowAnonymous: cfg.allowAnonymous, credentials, applications, legacy },
        acl: this.acl!,
        limits: {
          maxPayloadBytes: cfg.maxPayloadBytes,
          maxPacketBytes: cfg.maxPacketBytes,
          maxTopicLength: cfg.maxTopicLength,
          maxPublishesPerSecond: cfg.maxPublishesPerSecond,
          maxPublishBytesPerSecond: cfg.maxPublishBytesPerSecond,
        },
        onRefused: reason => refused.inc({ reason }),
        log: ctx.log,
      });
      this.endpoints.push(this.internal);
    }
    if (cfg.mqttMode === "external" || cfg.mqttMode === "both") {
      const external = ExternalClient.connect({
        url: cfg.mqttServerExternal,
        clientId: `kubeedge-edge-${ctx.nodeName}-${process.pid}`,
        username: cfg.mqttUsername,
        password: cfg.mqttPassword,
        tls: cfg.tls,
        log: ctx.log,
      });
      this.endpoints.push(external);
      void external.ready(EXTERNAL_READY_TIMEOUT_MS).then(ok => {
        if (!ok)
          ctx.log.warn(
            { url: cfg.mqttServerExternal },
            "external MQTT broker not reachable yet; retrying",
          );
      });
    }
  }

  /** Resolves once every endpoint is subscribed (tests wait for it before publishing). */
  async ready(timeoutMs = 10_000): Promise<boolean> {
    for (const e of this.endpoints) {
      if (e instanceof ExternalClient && !(await e.ready(timeoutMs))) return false;
    }
    return true;
  }

  /**
   * Messages arriving in one turn of the event loop travel to DeviceTwin as one bus message:
   * one mailbox hop per burst instead of one per message, order kept.
   */
  private toTwin(ctx: ModuleContext, message: InboundMessage): void {
    this.inbound.push(message);
    if (this.inbound.length > 1) return;
    setImmediate(() => {
      const batch = this.inbound;
      this.inbound = [];
      const router = { resource: "mqtt", operation: BusOperation.MqttMessageBatch };
      if (ctx.bus.hasModule(ModuleName.DeviceTwin)) ctx.send(ModuleName.DeviceTwin, router, batch);
    });
  }

  private upload(ctx: ModuleContext, topic: string, payload: string): void {
    const find = (id: string): { namespace: string; name: string } | undefined => {
      const row = ctx.db
        .prepare(
          "SELECT namespace, name FROM device WHERE id = ? OR (name = ? AND ? NOT LIKE '%/%') LIMIT 2",
        )
        .all(id, id, id) as { namespace: string; name: string }[];
      return row.length === 1 ? row[0] : undefined;
    };
    const event = uploadEvent(topic, payload, find);
    ctx.outbox.enqueue(OutboxKind.Event, topic, event);
  }

  private async serve(ctx: ModuleContext, onPublish: (n: number) => void): Promise<void> {
    for await (const m of ctx.bus.messages(this.name)) {
      if (m.router.operation === BusOperation.MqttPublishBatch) {
        const batch = m.content as OutgoingMessage[];
        for (const o of batch) this.publish(o.topic, o.payload);
        onPublish(batch.length);
      } else if (m.router.operation === BusOperation.MqttPublish) {
        const payload = typeof m.content === "string" ? m.content : JSON.stringify(m.content);
        this.publish(m.router.resource, payload);
        onPublish(1);
      }
    }
  }

  private publish(topic: string, payload: string): void {
    for (const e of this.endpoints) e.publish(topic, payload, this.publishOpts);
  }

  async stop(): Promise<void> {
    for (const e of this.endpoints.splice(0)) {
      try {
        await e.close();
      } catch {
        // closing on the way out: nothing left to do about it
      }
    }
  }
}
