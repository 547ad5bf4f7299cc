/**
 * The water utility's edge application: reads the tank level and line pressure off the edge
 * agent's twin topics and sets the valve's desired position through the agent's twin
 * (`twin/update` with an expected value). It talks only to the agent's broker on the node, so it
 * keeps controlling while the cloud is away; the agent reports what it decided once the link is
 * back.
 */
import { randomUUID } from "node:crypto";
import mqtt, { type MqttClient } from "mqtt";
import type { Logger } from "pino";
import { DeviceTopicSuffix, deviceTopic } from "@kubeedge-ts/contract";
import { type ControlSettings, nextWrite, type PlantReading } from "./control.js";
import { fromDocument, fromGetResult, numeric, type TwinValues } from "./readings.js";

export interface AppSettings {
  mqttUrl: string;
  username?: string;
  password?: string;
  devices: { level: string; pressure: string; valve: string };
  properties: { level: string; pressure: string; position: string };
  control: ControlSettings;
  intervalMs: number;
}

export interface WaterApp {
  /** The last values seen, for logs and tests. */
  reading(): Partial<PlantReading>;
  stop(): Promise<void>;
}

export function startWaterApp(s: AppSettings, log: Logger): WaterApp {
  const client = mqtt.connect(s.mqttUrl, {
    clientId: `water-utility-${randomUUID().slice(0, 8)}`,
    username: s.username,
    password: s.password,
    reconnectPeriod: 1000,
    clean: true,
  });
  const reading: Partial<PlantReading> = {};
  const ids = [s.devices.level, s.devices.pressure, s.devices.valve];
  const apply = (deviceId: string, v: TwinValues): void => {
    if (deviceId === s.devices.level)
      reading.levelM = numeric(v.actual[s.properties.level]) ?? reading.levelM;
    if (deviceId === s.devices.pressure)
      reading.pressureBar = numeric(v.actual[s.properties.pressure]) ?? reading.pressureBar;
    if (deviceId === s.devices.valve)
      reading.valvePercent = numeric(v.expected[s.properties.position]) ?? reading.valvePercent;
  };
  client.on("message", (topic, payload) => {
    for (const id of ids) {
      const text = payload.toString();
      if (topic === deviceTopic(id, DeviceTopicSuffix.TwinGetResult))
        apply(id, fromGetResult(text) ?? empty());
      if (topic === deviceTopic(id, DeviceTopicSuffix.TwinUpdateDocument))
        apply(id, fromDocument(text) ?? empty());
    }
  });
  client.on("connect", () => {
    const topics = ids.flatMap(id => [
      deviceTopic(id, DeviceTopicSuffix.TwinGetResult),
      deviceTopic(id, DeviceTopicSuffix.TwinUpdateDocument),
      deviceTopic(id, DeviceTopicSuffix.TwinUpdateResult),
    ]);
    client.subscribeAsync(topics, { qos: 1 }).then(
      () => log.info({ devices: ids }, "connected to the edge agent's broker"),
      (err: Error) => log.warn({ err: err.message }, "subscribe refused"),
    );
  });
  client.on("offline", () => log.warn("broker offline"));
  client.on("error", err => log.warn({ err: err.message }, "mqtt error"));

  const control = (): void => {
    if (!client.connected) return;
    // Ask for every twin each round: a value that did not change publishes no document.
    for (const id of ids) publish(client, deviceTopic(id, DeviceTopicSuffix.TwinGet), {});
    if (reading.levelM === undefined) return;
    const position = nextWrite(reading as PlantReading, s.control);
    if (position === undefined) return;
    publish(client, deviceTopic(s.devices.valve, DeviceTopicSuffix.TwinUpdate), {
      twin: {
        [s.properties.position]: {
          expected: { value: String(position), metadata: { timestamp: Date.now() } },
        },
      },
    });
    log.info({ ...reading, position }, "valve position set");
    reading.valvePercent = position;
  };
  const timer = setInterval(control, s.intervalMs);
  return {
    reading: () => ({ ...reading }),
    stop: async () => {
      clearInterval(timer);
      await client.endAsync();
    },
  };
}

const empty = (): TwinValues => ({ actual: {}, expected: {} });

function publish(client: MqttClient, topic: string, body: object): void {
  const message = { event_id: randomUUID(), timestamp: Date.now(), ...body };
  client.publish(topic, JSON.stringify(message), { qos: 1 });
}
