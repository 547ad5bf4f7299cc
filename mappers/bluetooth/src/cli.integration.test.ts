/**
 * The `kubeedge-mapper-bluetooth` command as a process: against a noble websocket relay (the
 * simulated radio) it serves the SensorTag; without Bluetooth or with a bad config file it
 * exits with a message that says what is wrong.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { deviceTopic, DeviceTopicSuffix } from "@kubeedge-ts/contract";
import {
  startChild,
  type Child,
  startMosquitto,
  type Broker,
  MqttRecorder,
  eventually,
} from "@kubeedge-ts/testkit";
import { DEVICE_ID, SENSORTAG_CONFIG, sensorTagProfile } from "../test/fixtures.js";
import { addSensorTag, SimRadio } from "../test/sim-peripheral.js";

const CLI = fileURLToPath(new URL("./cli.ts", import.meta.url));
const NODE_ARGS = ["--conditions=source", "--import", "tsx", CLI];

function run(args: string[], env: Record<string, string> = {}): Child {
  // The parent's NOBLE_WEBSOCKET must not leak into the "no adapter" case.
  const { NOBLE_WEBSOCKET: _ignored, ...inherited } = process.env;
  const base = { ...inherited, MAPPER_HTTP_PORT: "0", MAPPER_HTTP_HOST: "127.0.0.1" };
  return startChild(process.execPath, [...NODE_ARGS, ...args], { env: { ...base, ...env } });
}

function exited(child: Child): Promise<number | null> {
  if (child.proc.exitCode !== null) return Promise.resolve(child.proc.exitCode);
  return new Promise(resolve => child.proc.once("exit", code => resolve(code)));
}

describe("kubeedge-mapper-bluetooth", () => {
  let dir: string;
  const stops: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "bt-cli-"));
    await writeFile(join(dir, "deviceProfile.json"), JSON.stringify(sensorTagProfile()));
    await writeFile(join(dir, "config.yaml"), SENSORTAG_CONFIG);
  });
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("serves the device given --profile, --mqtt and --config, through NOBLE_WEBSOCKET", async () => {
    const broker: Broker = await startMosquitto();
    stops.push(() => broker.stop());
    const radio = await SimRadio.start();
    stops.push(() => radio.close());
    const tag = addSensorTag(radio, "A0:E6:F8:B6:37:83", 19.5);
    const recorder = await MqttRecorder.start(broker.url, ["$hw/events/device/#"]);
    stops.push(() => recorder.close());
    const child = run(
      [
        "--profile",
        join(dir, "deviceProfile.json"),
        "--mqtt",
        broker.url,
        "--config",
        join(dir, "config.yaml"),
      ],
      { NOBLE_WEBSOCKET: radio.url },
    );
    stops.push(() => child.stop());
    const state = deviceTopic(DEVICE_ID, DeviceTopicSuffix.StateUpdate);
    await eventually(
      "online",
      () => recorder.on(state).some(m => m.payload.state === "online"),
      15_000,
    ).catch(err => {
      throw new Error(`${(err as Error).message}\n${child.output()}`);
    });
    await eventually("sensor enabled", () => tag.enabled, 5000);
    const update = deviceTopic(DEVICE_ID, DeviceTopicSuffix.TwinUpdate);
    await eventually(
      "temperature reported",
      () => recorder.on(update).some(m => JSON.stringify(m.payload).includes('"value":"19.5"')),
      5000,
    );
  });

  it("exits 2 with a clear message on a host without Bluetooth", async () => {
    const child = run([
      "--profile",
      join(dir, "deviceProfile.json"),
      "--mqtt",
      "mqtt://127.0.0.1:1",
    ]);
    expect(await exited(child)).toBe(2);
    expect(child.output()).toContain("no Bluetooth adapter: this host has no Bluetooth support");
  });

  it("exits 2 naming every problem of a bad config file", async () => {
    const bad = join(dir, "bad.yaml");
    await writeFile(
      bad,
      "scheduler:\n  schedules:\n  - {name: s, interval: -1, actions: [ghost]}\n",
    );
    const child = run([
      "--profile",
      join(dir, "deviceProfile.json"),
      "--mqtt",
      "mqtt://127.0.0.1:1",
      "--config",
      bad,
    ]);
    expect(await exited(child)).toBe(2);
    expect(child.output()).toContain(
      "scheduler.schedules[0].interval: must be a non-negative integer",
    );
  });
});
