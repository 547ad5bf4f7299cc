/**
 * Bluetooth mapper figures, with noble's real central code against the simulated GATT radio
 * (mappers/bluetooth/test/sim-peripheral.ts) and a real mosquitto:
 *  1. data converter throughput (SensorTag IR temperature converter);
 *  2. GATT reads through noble (websocket bindings): reads/s and latency;
 *  3. notification → twin/update on the broker, through the whole mapper: latency and rate;
 *  4. runtime configuration round trip (action-manager/create → <topic>/result).
 * The websocket relay stands in for the radio, so figures 2-4 measure the mapper's own cost,
 * not BLE air time (a real connection interval is 7.5-50 ms per GATT request).
 * Run: `node --conditions=source --import tsx bench/bluetooth.ts [reads] [notifications]`.
 */
import { performance } from "node:perf_hooks";
import {
  BluetoothMapperTopicSuffix,
  bluetoothMapperTopic,
  deviceTopic,
  DeviceTopicSuffix,
} from "@kubeedge-ts/contract";
import { createLogger } from "@kubeedge-ts/mapper-common";
import { mkdtempSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startChild, freePort, type Broker, eventually } from "@kubeedge-ts/testkit";
import { BleLink } from "../mappers/bluetooth/src/ble/link.js";
import { loadNoble, waitPoweredOn } from "../mappers/bluetooth/src/ble/noble-loader.js";
import { Scanner } from "../mappers/bluetooth/src/ble/scanner.js";
import { convertRead } from "../mappers/bluetooth/src/convert/data-converter.js";
import { DEVICE_ID, SENSORTAG_CONFIG } from "../mappers/bluetooth/test/fixtures.js";
import {
  addSensorTag,
  encodeTemperature,
  SENSORTAG,
  SimRadio,
} from "../mappers/bluetooth/test/sim-peripheral.js";
import { FAST_LINK, startStack } from "../mappers/bluetooth/test/stack.js";

const reads = Number(process.argv[2] ?? 2000);
const notifications = Number(process.argv[3] ?? 2000);

function pct(sorted: number[], p: number): string {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(2);
}

function summary(name: string, ms: number[], totalMs: number): void {
  const s = [...ms].sort((a, b) => a - b);
  const rate = ((ms.length / totalMs) * 1000).toFixed(0);
  console.log(
    `${name}: n=${ms.length} ${rate}/s p50=${pct(s, 50)} ms p99=${pct(s, 99)} ms max=${pct(s, 100)} ms`,
  );
}

function benchConverter(): void {
  const conv = {
    startIndex: 1,
    endIndex: 0,
    shiftRight: 2,
    orderOfOperations: [{ operationType: "Multiply" as const, operationValue: 0.03125 }],
  };
  const data = encodeTemperature(25.125);
  const n = 1_000_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) convertRead(data, conv);
  const ms = performance.now() - t0;
  console.log(
    `converter: ${(((n / ms) * 1000) / 1e6).toFixed(2)} M conversions/s (${((ms * 1e6) / n).toFixed(0)} ns each)`,
  );
}

async function benchReads(): Promise<void> {
  const radio = await SimRadio.start();
  const log = createLogger("bench", "silent");
  addSensorTag(radio, "A0:E6:F8:B6:37:83");
  const noble = loadNoble({ websocketUrl: radio.url });
  await waitPoweredOn(noble, 2000);
  const link = new BleLink("A0:E6:F8:B6:37:83", new Scanner(noble, log), log, FAST_LINK);
  const t0 = performance.now();
  link.start();
  await link.waitConnected();
  console.log(`scan+connect+discover: ${(performance.now() - t0).toFixed(1)} ms`);
  const lat: number[] = [];
  const start = performance.now();
  for (let i = 0; i < reads; i++) {
    const t = performance.now();
    await link.read(SENSORTAG.data);
    lat.push(performance.now() - t);
  }
  summary("GATT read via noble", lat, performance.now() - start);
  await link.stop();
  await radio.close();
}

/** mosquitto with `set_tcp_nodelay true` (its default is false: Nagle on every client socket). */
async function mosquittoNoDelay(): Promise<Broker> {
  const dir = mkdtempSync(join(tmpdir(), "bt-bench-mosquitto-"));
  const port = await freePort();
  const conf = join(dir, "mosquitto.conf");
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\n`);
  const child = startChild("/usr/sbin/mosquitto", ["-c", conf]);
  const up = (): Promise<boolean> =>
    new Promise(resolve => {
      const s = connect(port, "127.0.0.1");
      s.once("connect", () => (s.destroy(), resolve(true)));
      s.once("error", () => resolve(false));
    });
  await eventually("mosquitto", up, 5000);
  return { port, url: `mqtt://127.0.0.1:${port}`, stop: () => child.stop() };
}

async function benchMapper(label: string, broker?: () => Promise<Broker>): Promise<void> {
  console.log(`-- mapper, ${label}`);
  const stack = await startStack({
    broker,
    config: SENSORTAG_CONFIG.replace("occurrence-limit: 3", "occurrence-limit: 1"),
  });
  try {
    await eventually("subscribed", () => stack.tag.peripheral.subscribed.has(SENSORTAG.data), 5000);
    // The recorder plays the requesting client; Nagle on its socket would add its own 40 ms.
    (stack.recorder.client.stream as unknown as { setNoDelay(on: boolean): void }).setNoDelay(true);
    const topic = deviceTopic(DEVICE_ID, DeviceTopicSuffix.TwinUpdate);
    const lat: number[] = [];
    const start = performance.now();
    for (let i = 0; i < notifications; i++) {
      const celsius = 10 + (i % 1000) * 0.03125 * 4; // distinct values: exact in the encoding
      const before = stack.recorder.on(topic).length;
      const t = performance.now();
      stack.tag.setTemperature(celsius);
      await eventually("twin update", () => stack.recorder.on(topic).length > before, 5000, 0);
      lat.push(performance.now() - t);
    }
    summary("notification → twin/update (mosquitto)", lat, performance.now() - start);

    const req = bluetoothMapperTopic(DEVICE_ID, BluetoothMapperTopicSuffix.ActionManagerCreate);
    const rt: number[] = [];
    const t1 = performance.now();
    for (let i = 0; i < 200; i++) {
      const before = stack.recorder.on(`${req}/result`).length;
      const t = performance.now();
      await stack.recorder.publish(req, [{ name: `A${i}`, "device-property-name": "temperature" }]);
      await eventually("reply", () => stack.recorder.on(`${req}/result`).length > before, 5000, 0);
      rt.push(performance.now() - t);
    }
    summary("action-manager/create → result", rt, performance.now() - t1);
    const mem = process.memoryUsage();
    console.log(
      `bench process (mapper + radio + recorder in one process): rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`,
    );
  } finally {
    await stack.stop();
  }
}

benchConverter();
await benchReads();
await benchMapper("mosquitto defaults (set_tcp_nodelay false)");
await benchMapper("mosquitto set_tcp_nodelay true", mosquittoNoDelay);
