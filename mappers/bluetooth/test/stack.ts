/**
 * A whole Bluetooth mapper for tests: real mosquitto, the simulated radio with a SensorTag,
 * noble over its websocket bindings, and an MQTT recorder standing in for the edge agent.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deviceTopic, DeviceTopicSuffix, type DeviceProfile } from "@kubeedge-ts/contract";
import { createLogger } from "@kubeedge-ts/mapper-common";
import { startMosquitto, type Broker, MqttRecorder, eventually } from "@kubeedge-ts/testkit";
import { loadNoble, waitPoweredOn } from "../src/ble/noble-loader.js";
import { parseConfigText } from "../src/config/config-file.js";
import { runBluetoothMapper, type BluetoothMapper } from "../src/mapper.js";
import { DEVICE_ID, sensorTagProfile } from "./fixtures.js";
import { addSensorTag, SimRadio, type SensorTag } from "./sim-peripheral.js";

export interface Stack {
  broker: Broker;
  radio: SimRadio;
  tag: SensorTag;
  recorder: MqttRecorder;
  mapper: BluetoothMapper;
  dir: string;
  profilePath: string;
  /** Actual values reported for a property, in order. */
  actuals(property: string, id?: string): string[];
  states(id?: string): string[];
  stop(): Promise<void>;
}

export const FAST_LINK = {
  connectTimeoutMs: 400,
  opTimeoutMs: 400,
  retryMinMs: 50,
  retryMaxMs: 200,
};

export interface StackOptions {
  config?: string;
  profile?: DeviceProfile;
  celsius?: number;
  /** Starts the broker (default: mosquitto as the shared test support configures it). */
  broker?: () => Promise<Broker>;
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    const broker = await (opts.broker ?? startMosquitto)();
    cleanup.push(() => broker.stop());
    const radio = await SimRadio.start();
    cleanup.push(() => radio.close());
    const tag = addSensorTag(radio, "A0:E6:F8:B6:37:83", opts.celsius ?? 25.125);
    const recorder = await MqttRecorder.start(broker.url, [
      "$hw/events/device/#",
      "$ke/device/bluetooth-mapper/#",
    ]);
    cleanup.push(() => recorder.close());
    const dir = await mkdtemp(join(tmpdir(), "bt-mapper-"));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const profilePath = join(dir, "deviceProfile.json");
    await writeFile(profilePath, JSON.stringify(opts.profile ?? sensorTagProfile()));
    let config;
    if (opts.config !== undefined) {
      const parsed = parseConfigText(opts.config);
      if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
      config = parsed.value;
    }
    const noble = loadNoble({ websocketUrl: radio.url });
    await waitPoweredOn(noble, 2000);
    const mapper = await runBluetoothMapper({
      profilePath,
      mqttUrl: broker.url,
      config,
      noble,
      log: createLogger("test", process.env.TEST_LOG ?? "silent"),
      httpHost: "127.0.0.1",
      httpPort: 0,
      link: FAST_LINK,
    });
    cleanup.push(() => mapper.stop());
    await eventually("profile loaded", () => mapper.runtime.ready, 5000);
    const payloads = (topic: string): Record<string, unknown>[] =>
      recorder.on(topic).map(m => m.payload);
    return {
      broker,
      radio,
      tag,
      recorder,
      mapper,
      dir,
      profilePath,
      actuals: (property, id = DEVICE_ID) =>
        payloads(deviceTopic(id, DeviceTopicSuffix.TwinUpdate)).flatMap(p => {
          const twin = (p.twin ?? {}) as Record<string, { actual?: { value?: string } }>;
          const v = twin[property]?.actual?.value;
          return v === undefined ? [] : [v];
        }),
      states: (id = DEVICE_ID) =>
        payloads(deviceTopic(id, DeviceTopicSuffix.StateUpdate)).map(p => String(p.state)),
      stop: async () => {
        for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
      },
    };
  } catch (err) {
    for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
    throw err;
  }
}
