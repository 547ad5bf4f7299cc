/**
 * The MQTT side of a mapper: publishes actual values and device state, asks for twins, and
 * hands desired values (from deltas and twin/get results) to one handler. Subscriptions use
 * wildcards for both device-id forms (`name` and `namespace/name`), so a profile reload never
 * has to resubscribe; the handler filters by the devices it serves.
 */
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import {
  DEVICE_PREFIX,
  DeviceTopicSuffix,
  deviceTopic,
  parseDeviceTopic,
} from "@kubeedge-ts/contract";
import type { Logger } from "./logger.js";
import {
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

export class TwinClient {
  private desiredHandlers: DesiredHandler[] = [];
  private connectHandlers: (() => void)[] = [];

  private constructor(
    private readonly client: MqttClient,
    private readonly log: Logger,
  ) {
    client.on("message", (topic, payload) => this.dispatch(topic, payload));
    client.on("connect", () => {
      log.info("mqtt connected");
      this.connectHandlers.forEach(h => h());
    });
    client.on("offline", () => log.warn("mqtt offline"));
    client.on("error", err => log.warn({ err: err.message }, "mqtt error"));
  }

  /** Connects (retrying every second in the background) and subscribes before resolving. */
  static async connect(opts: TwinClientOptions): Promise<TwinClient> {
    const client = mqtt.connect(opts.url, {
      clientId: opts.clientId ?? `kubeedge-mapper-${process.pid}-${Date.now().toString(36)}`,
      username: opts.username,
      password: opts.password,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      // A clean session: desired values missed while down are fetched with twin/get instead.
      clean: true,
      resubscribe: true,
      ...opts.mqtt,
    });
    const twin = new TwinClient(client, opts.log.child({ component: "twin-client" }));
    await client.subscribeAsync(twinSubscriptions(), { qos: 1 });
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

  async requestTwin(deviceId: string): Promise<boolean> {
    return this.publish(deviceTopic(deviceId, DeviceTopicSuffix.TwinGet), twinGetMessage());
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
