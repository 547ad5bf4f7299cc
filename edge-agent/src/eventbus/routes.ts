/**
 * How MQTT traffic moves between the EventBus and other modules on the module bus. Defined
 * once here so DeviceTwin and EventBus never retype a routing string.
 */
import { UPLOAD_PREFIX, UPLOAD_RECORDS_TOPIC } from "@kubeedge-ts/contract";

export enum BusOperation {
  /** EventBus → DeviceTwin: a message arrived; resource = topic, content = payload (string). */
  MqttMessage = "mqtt_message",
  /** EventBus → DeviceTwin: messages that arrived in one event-loop turn; content = InboundMessage[]. */
  MqttMessageBatch = "mqtt_message_batch",
  /** Any module → EventBus: publish; resource = topic, content = payload (string). */
  MqttPublish = "mqtt_publish",
  /** Any module → EventBus: several publishes in order; content = {topic, payload}[]. */
  MqttPublishBatch = "mqtt_publish_batch",
}

export interface OutgoingMessage {
  topic: string;
  payload: string;
}

/** A message from an MQTT client, as DeviceTwin gets it. */
export interface InboundMessage extends OutgoingMessage {
  /** The sender is an application granted this device: its `expected` values count. */
  setsDesired?: boolean;
}

export enum TopicRoute {
  Twin = "twin",
  Upload = "upload",
}

/** KubeEdge's eventbus rule: upload topics go to the cloud, everything else to DeviceTwin. */
export function routeTopic(topic: string): TopicRoute {
  if (topic.startsWith(UPLOAD_PREFIX) || topic === UPLOAD_RECORDS_TOPIC) return TopicRoute.Upload;
  if (topic.startsWith(`${UPLOAD_RECORDS_TOPIC}/`)) return TopicRoute.Upload;
  return TopicRoute.Twin;
}

export interface ListenAddress {
  host: string;
  port: number;
}

/** `tcp://127.0.0.1:1884` (also `mqtt://`) → where the embedded broker listens. */
export function parseListenUrl(url: string): ListenAddress {
  let u: URL;
  try {
    u = new URL(url);
  } catch (error) {
    throw new Error(`invalid MQTT server URL "${url}"`, { cause: error });
  }
  if (u.protocol !== "tcp:" && u.protocol !== "mqtt:") {
    throw new Error(`MQTT server URL "${url}" must start with tcp:// or mqtt://`);
  }
  const port = Number(u.port);
  if (!u.port || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`MQTT server URL "${url}" needs a port`);
  }
  return { host: u.hostname || "127.0.0.1", port };
}

/** mqtt.js wants mqtt:// or mqtts://; KubeEdge configs say tcp:// or ssl://. */
export function clientUrl(url: string): string {
  return url.replace(/^tcp:\/\//, "mqtt://").replace(/^ssl:\/\//, "mqtts://");
}
