/**
 * The runtime configuration topics `$ke/device/bluetooth-mapper/<deviceID>/...` (seeds' manual
 * 31.4.2). The device id may be one segment (KubeEdge <= 1.16) or `namespace/name`, so the
 * known suffix is matched from the end. Each request is answered on `<topic>/result`.
 */
import mqtt, { type MqttClient } from "mqtt";
import {
  BLUETOOTH_MAPPER_PREFIX,
  BluetoothMapperTopicSuffix as Suffix,
  bluetoothMapperTopic,
} from "@kubeedge-ts/contract";
import type { Logger } from "@kubeedge-ts/mapper-common";
import {
  replyMessage,
  resultTopic,
  type RuntimeReply,
  type ScheduleResultMessage,
} from "./runtime-reply.js";

/** Topics the mapper is asked things on (not the ones it publishes). */
export const REQUEST_SUFFIXES: readonly Suffix[] = [
  Suffix.WatcherCreate,
  Suffix.ActionManagerCreate,
  Suffix.ActionManagerDelete,
  Suffix.SchedulerCreate,
  Suffix.SchedulerDelete,
];

export interface ParsedConfigTopic {
  deviceId: string;
  suffix: Suffix;
}

export function parseConfigTopic(topic: string): ParsedConfigTopic | undefined {
  if (!topic.startsWith(BLUETOOTH_MAPPER_PREFIX)) return undefined;
  const rest = topic.slice(BLUETOOTH_MAPPER_PREFIX.length);
  for (const suffix of REQUEST_SUFFIXES) {
    if (!rest.endsWith(suffix)) continue;
    const deviceId = rest.slice(0, rest.length - suffix.length);
    const parts = deviceId.split("/");
    if (parts.length > 2 || parts.some(p => p === "")) return undefined;
    return { deviceId, suffix };
  }
  return undefined;
}

export type ConfigHandler = (deviceId: string, suffix: Suffix, payload: unknown) => RuntimeReply;

/** Parses the payload as JSON; a payload that is not JSON never reaches the handler. */
export function handleConfigMessage(
  topic: string,
  payload: Buffer,
  handler: ConfigHandler,
): RuntimeReply | undefined {
  const parsed = parseConfigTopic(topic);
  if (!parsed) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(payload.toString("utf8"));
  } catch (err) {
    return { code: 400, reason: `payload is not JSON: ${(err as Error).message}` };
  }
  return handler(parsed.deviceId, parsed.suffix, doc);
}

/** The request topics of one device, as `bluetoothMapperTopic` spells them. */
export function requestTopics(deviceId: string): string[] {
  return REQUEST_SUFFIXES.map(s => bluetoothMapperTopic(deviceId, s));
}

export class ConfigChannel {
  private subscribed = new Set<string>();

  private constructor(
    private readonly client: MqttClient,
    private readonly log: Logger,
  ) {}

  static async connect(
    url: string,
    log: Logger,
    handler: ConfigHandler,
    opts: mqtt.IClientOptions = {},
  ): Promise<ConfigChannel> {
    const client = mqtt.connect(url, {
      clientId: `kubeedge-mapper-bluetooth-config-${process.pid}-${Date.now().toString(36)}`,
      reconnectPeriod: 1000,
      clean: true,
      resubscribe: true,
      ...opts,
    });
    const channel = new ConfigChannel(client, log.child({ component: "config-channel" }));
    // A reply follows the PUBACK of its request at once; with Nagle on, it would wait for the
    // broker's delayed ACK of that PUBACK (40 ms on Linux) on every request.
    const noDelay = (): void =>
      (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
    client.on("connect", noDelay);
    noDelay();
    client.on("message", (topic, payload) => channel.onMessage(topic, payload, handler));
    client.on("error", err => channel.log.warn({ err: err.message }, "mqtt error"));
    return channel;
  }

  /**
   * Listens for exactly these devices' requests. Not a wildcard: mappers of other nodes may
   * share an external broker, and only a device's own mapper may answer for it.
   */
  async serve(deviceIds: string[]): Promise<void> {
    const wanted = new Set(deviceIds.flatMap(requestTopics));
    const added = [...wanted].filter(t => !this.subscribed.has(t));
    const removed = [...this.subscribed].filter(t => !wanted.has(t));
    this.subscribed = wanted;
    if (removed.length) await this.client.unsubscribeAsync(removed);
    if (added.length) await this.client.subscribeAsync(added, { qos: 1 });
  }

  get connected(): boolean {
    return this.client.connected;
  }

  publishScheduleResult(deviceId: string, result: ScheduleResultMessage): void {
    this.publish(bluetoothMapperTopic(deviceId, Suffix.SchedulerResult), result);
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }

  private onMessage(topic: string, payload: Buffer, handler: ConfigHandler): void {
    let reply: RuntimeReply | undefined;
    try {
      reply = handleConfigMessage(topic, payload, handler);
    } catch (err) {
      reply = { code: 500, reason: `internal error: ${(err as Error).message}` };
    }
    if (!reply) return;
    const level = reply.code === 200 ? "info" : "warn";
    this.log[level]({ topic, code: reply.code, reason: reply.reason }, "runtime configuration");
    this.publish(resultTopic(topic), replyMessage(reply));
  }

  private publish(topic: string, message: object): void {
    if (!this.client.connected) return;
    this.client.publishAsync(topic, JSON.stringify(message), { qos: 1 }).catch((err: Error) => {
      this.log.warn({ topic, err: err.message }, "publish failed");
    });
  }
}
