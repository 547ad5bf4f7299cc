/**
 * The MQTT side of a mapper: publishes actual values and device state, asks for twins, and
 * hands desired values (from deltas and twin/get results) to one handler. Subscriptions use
 * wildcards for both device-id forms (`name` and `namespace/name`), so a profile reload never
 * has to resubscribe; the handler filters by the devices it serves. A driver's own topics
 * (TopicPort) ride on the same connection.
 */
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import {
  DEVICE_PREFIX,
  DeviceTopicSuffix,
  deviceTopic,
  parseDeviceTopic,
} from "@kubeedge-ts/contract";
import type { TopicPort } from "./driver.js";
import type { Logger } from "./logger.js";
import {
  dataMessage,
  parseDelta,
  parseTwinExpected,
  stateMessage,
  twinActualMessage,
  twinGetMessage,
  type ActualValue,
} from "./twin-messages.js";

export type DesiredSource = "delta" | "get";
export type DesiredHandler = (
  deviceId: string,
  desired: Record<string, string>,
  source: DesiredSource,
) => void;

export interface TwinClientOptions {
  url: string;
  log: Logger;
  clientId?: string;
  username?: string;
  password?: string;
  /** Extra mqtt.js options (TLS files, keepalive...). */
  mqtt?: IClientOptions;
}

const SUBSCRIBED_SUFFIXES = [DeviceTopicSuffix.TwinUpdateDelta, DeviceTopicSuffix.TwinGetResult];

export function twinSubscriptions(): string[] {
  return SUBSCRIBED_SUFFIXES.flatMap(s => [`${DEVICE_PREFIX}+${s}`, `${DEVICE_PREFIX}+/+${s}`]);
}

export class TwinClient implements TopicPort {
  private desiredHandlers: DesiredHandler[] = [];
  private connectHandlers: (() => void)[] = [];
  private messageHandlers: ((topic: string, payload: Buffer) => void)[] = [];
  /** The driver's topics (TopicPort.listen), subscribed again on every reconnect. */
  private listened = new Set<string>();

  private readonly subscribed: Promise<void>;

  private constructor(
    private readonly client: MqttClient,
    private readonly log: Logger,
  ) {
    let markSubscribed: () => void = () => {};
    this.subscribed = new Promise(resolve => (markSubscribed = resolve));
    client.on("message", (topic, payload) => this.dispatch(topic, payload));
    // A reply to a request follows its PUBACK at once; with Nagle on, it would wait for the
    // broker's delayed ACK of that PUBACK (40 ms on Linux).
    const noDelay = (): void =>
      (client.stream as { setNoDelay?: (on: boolean) => void } | undefined)?.setNoDelay?.(true);
    noDelay();
    // A clean session loses subscriptions on every reconnect: subscribe first, then let the
    // handlers republish (their twin/get results need the subscription in place).
    client.on("connect", () => {
      noDelay();
      const topics = [...twinSubscriptions(), ...this.listened];
      client.subscribeAsync(topics, { qos: 1 }).then(
        () => {
          log.info("mqtt connected and subscribed");
          markSubscribed();
          this.connectHandlers.forEach(h => h());
        },
        (err: Error) => log.warn({ err: err.message }, "mqtt subscribe failed"),
      );
    });
    client.on("offline", () => log.warn("mqtt offline"));
    client.on("error", err => log.warn({ err: err.message }, "mqtt error"));
  }

  /**
   * Connects and waits (up to `waitMs`, default 10 s) for the first subscription. A broker that
   * is down does not stop the mapper: mqtt.js keeps reconnecting every second.
   */
  static async connect(opts: TwinClientOptions & { waitMs?: number }): Promise<TwinClient> {
    const client = mqtt.connect(opts.url, {
      clientId: opts.clientId ?? `kubeedge-mapper-${process.pid}-${Date.now().toString(36)}`,
      username: opts.username,
      password: opts.password,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      // Desired values missed while down are fetched with twin/get instead of a durable session.
      clean: true,
      resubscribe: false,
      ...opts.mqtt,
    });
    const twin = new TwinClient(client, opts.log.child({ component: "twin-client" }));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>(resolve => {
      timer = setTimeout(() => resolve(false), opts.waitMs ?? 10_000);
    });
    const ok = await Promise.race([twin.subscribed.then(() => true), timeout]);
    clearTimeout(timer);
    if (!ok)
      twin.log.warn({ url: opts.url }, "mqtt broker not reachable yet; retrying in the background");
    return twin;
  }

  get connected(): boolean {
    return this.client.connected;
  }

  onDesired(handler: DesiredHandler): void {
    this.desiredHandlers.push(handler);
  }

  /** Called on every (re)connect, e.g. to republish device states. */
  onConnect(handler: () => void): void {
    this.connectHandlers.push(handler);
  }

  /** Resolves false when the broker is unreachable and nothing was sent. */
  async publishActual(deviceId: string, values: Record<string, ActualValue>): Promise<boolean> {
    return this.publish(
      deviceTopic(deviceId, DeviceTopicSuffix.TwinUpdate),
      twinActualMessage(values),
    );
  }

  async publishState(deviceId: string, state: string, reason?: string): Promise<boolean> {
    return this.publish(
      deviceTopic(deviceId, DeviceTopicSuffix.StateUpdate),
      stateMessage(state, reason),
    );
  }

  /** Publishes time-series values on a data topic (see `resolveDataTopic`). */
  async publishData(topic: string, values: Record<string, ActualValue>): Promise<boolean> {
    return this.publish(topic, dataMessage(values));
  }

  async requestTwin(deviceId: string): Promise<boolean> {
    return this.publish(deviceTopic(deviceId, DeviceTopicSuffix.TwinGet), twinGetMessage());
  }

  /**
   * Subscribes exactly `topics` besides the twin topics. While disconnected it only records
   * them: the next connect subscribes them all.
   */
  async listen(topics: string[]): Promise<void> {
    const wanted = new Set(topics);
    const added = topics.filter(t => !this.listened.has(t));
    const removed = [...this.listened].filter(t => !wanted.has(t));
    this.listened = wanted;
    if (!this.client.connected) return;
    if (removed.length) await this.client.unsubscribeAsync(removed);
    if (added.length) await this.client.subscribeAsync(added, { qos: 1 });
  }

  /** Messages on the topics given to `listen`. */
  onMessage(handler: (topic: string, payload: Buffer) => void): void {
    this.messageHandlers.push(handler);
  }

  publishMessage(topic: string, message: object): Promise<boolean> {
    return this.publish(topic, message);
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }

  /**
   * While disconnected, messages are dropped rather than queued: readings go stale and would
   * pile up in memory on a long outage; states are republished by the onConnect handlers.
   */
  private async publish(topic: string, message: object): Promise<boolean> {
    if (!this.client.connected) return false;
    await this.client.publishAsync(topic, JSON.stringify(message), { qos: 1 });
    return true;
  }

  private dispatch(topic: string, payload: Buffer): void {
    if (this.listened.has(topic)) {
      for (const h of this.messageHandlers) h(topic, payload);
      return;
    }
    const parsed = parseDeviceTopic(topic);
    if (!parsed) return;
    const isDelta = parsed.suffix === DeviceTopicSuffix.TwinUpdateDelta;
    const result = isDelta ? parseDelta(payload) : parseTwinExpected(payload);
    if (!result.ok) {
      this.log.warn({ topic, reason: result.reason }, "ignoring malformed twin message");
      return;
    }
    for (const h of this.desiredHandlers)
      h(parsed.deviceId, result.value, isDelta ? "delta" : "get");
  }
}
