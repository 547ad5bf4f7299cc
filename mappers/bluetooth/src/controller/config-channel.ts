/**
 * The runtime configuration topics `$ke/device/bluetooth-mapper/<deviceID>/...` (seeds' manual
 * 31.4.2). The device id may be one segment (KubeEdge <= 1.16) or `namespace/name`, so the
 * known suffix is matched from the end. Each request is answered on `<topic>/result`. The
 * requests reach the device's DeviceController through the runtime's topic hook.
 */
import {
  BLUETOOTH_MAPPER_PREFIX,
  BluetoothMapperTopicSuffix as Suffix,
  bluetoothMapperTopic,
  splitDeviceTopic,
} from "@kubeedge-ts/contract";
import type { DriverTopics } from "@kubeedge-ts/mapper-common";
import type { DeviceController } from "./device-controller.js";
import { replyMessage, resultTopic, type RuntimeReply } from "./runtime-reply.js";

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
  return splitDeviceTopic(topic, BLUETOOTH_MAPPER_PREFIX, REQUEST_SUFFIXES);
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

/** Ids the topics may name: every device id, and bare names that are unambiguous. */
function topicIds(sessions: ReadonlyMap<string, DeviceController>): string[] {
  const ids = [...sessions.keys()];
  const names = [...sessions.values()].map(c => c.device.name);
  const unique = names.filter(n => !ids.includes(n) && names.indexOf(n) === names.lastIndexOf(n));
  return [...ids, ...unique];
}

/**
 * The driver's topics on the mapper's MQTT connection. Exact topics, not a wildcard: mappers of
 * other nodes may share an external broker, and only a device's own mapper may answer for it.
 */
export const runtimeConfigTopics: DriverTopics<DeviceController> = {
  subscriptions: sessions => topicIds(sessions).flatMap(requestTopics),
  onMessage(topic, payload, ctx) {
    let reply: RuntimeReply | undefined;
    try {
      reply = handleConfigMessage(topic, payload, (id, suffix, doc) => {
        const controller = ctx.session(id);
        if (!controller) return { code: 404, reason: `no Bluetooth device "${id}" on this mapper` };
        return controller.applyRuntime(suffix, doc);
      });
    } catch (err) {
      reply = { code: 500, reason: `internal error: ${(err as Error).message}` };
    }
    if (!reply) return;
    const level = reply.code === 200 ? "info" : "warn";
    ctx.log[level]({ topic, code: reply.code, reason: reply.reason }, "runtime configuration");
    const result = resultTopic(topic);
    ctx.publish(result, replyMessage(reply)).catch((err: Error) => {
      ctx.log.warn({ topic: result, err: err.message }, "publish failed");
    });
  },
};
