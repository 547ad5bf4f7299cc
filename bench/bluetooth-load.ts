/**
 * CPU and RSS of the Bluetooth mapper process serving N SensorTags (default 10, about what one
 * BLE adapter holds connected), each read on a schedule every `interval` ms (default 200) and
 * notifying every 100 ms, reporting to mosquitto. The mapper runs as its own process (its bin,
 * as users run it, after `npm run build`; NOBLE_WEBSOCKET points at the
 * simulated radio in this process); after a
 * warm-up, /proc is sampled over the window and the twin updates reaching the broker counted.
 * Run: `node --conditions=source --import tsx bench/bluetooth-load.ts [devices] [interval] [seconds]`.
 */
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DeviceProfile } from "@kubeedge-ts/contract";
import {
  binPath,
  startChild,
  freePort,
  startMosquitto,
  MqttRecorder,
  eventually,
} from "@kubeedge-ts/testkit";
import { sensorTagProfile } from "../mappers/bluetooth/test/fixtures.js";
import { addSensorTag, SimRadio } from "../mappers/bluetooth/test/sim-peripheral.js";
import { cpuSeconds, rssMiB } from "./proc.js";

const devices = Number(process.argv[2] ?? 10);
const interval = Number(process.argv[3] ?? 200);
const seconds = Number(process.argv[4] ?? 20);

function mac(i: number): string {
  return `A0:E6:F8:00:${((i >> 8) & 0xff).toString(16).padStart(2, "0")}:${(i & 0xff).toString(16).padStart(2, "0")}`.toUpperCase();
}

function profile(n: number): DeviceProfile {
  const out: DeviceProfile = {
    deviceInstances: [],
    deviceModels: [],
    protocols: [],
    propertyVisitors: [],
  };
  for (let i = 0; i < n; i++) {
    const p = sensorTagProfile(mac(i));
    const inst = p.deviceInstances[0];
    inst.id = `default/tag-${i}`;
    inst.name = `tag-${i}`;
    inst.protocol = `bluetooth-default-tag-${i}`;
    p.protocols[0].name = inst.protocol;
    out.deviceInstances.push(inst);
    out.protocols.push(p.protocols[0]);
    if (i === 0) out.deviceModels.push(...p.deviceModels);
  }
  return out;
}

const CONFIG = `
action-manager:
  actions:
  - {name: enable, perform-immediately: true, device-property-name: temperature-enable}
  - {name: read, device-property-name: temperature}
scheduler:
  schedules:
  - {name: poll, interval: ${interval}, actions: [read]}
`;

const dir = mkdtempSync(join(tmpdir(), "bt-load-"));
writeFileSync(join(dir, "deviceProfile.json"), JSON.stringify(profile(devices)));
writeFileSync(join(dir, "config.yaml"), CONFIG);
const broker = await startMosquitto();
const radio = await SimRadio.start();
const tags = Array.from({ length: devices }, (_, i) => addSensorTag(radio, mac(i), 20 + i));
const recorder = await MqttRecorder.start(broker.url, ["$hw/events/device/+/+/twin/update"]);
const child = startChild(
  binPath("kubeedge-mapper-bluetooth"),
  [
    "--profile",
    join(dir, "deviceProfile.json"),
    "--mqtt",
    broker.url,
    "--config",
    join(dir, "config.yaml"),
  ],
  {
    env: {
      ...process.env,
      NOBLE_WEBSOCKET: radio.url,
      MAPPER_HTTP_PORT: String(await freePort()),
      MAPPER_HTTP_HOST: "127.0.0.1",
      MAPPER_LOG_LEVEL: "warn",
    },
  },
);
const notifier = setInterval(
  () => tags.forEach((t, i) => t.setTemperature(20 + i + Math.random())),
  100,
);
try {
  await eventually(
    "all devices connected",
    () => tags.every(t => t.peripheral.connected && t.enabled),
    30_000,
  );
  await new Promise(r => setTimeout(r, 5000)); // warm-up (JIT, first schedules)
  const pid = child.proc.pid!;
  const t0 = cpuSeconds(pid);
  const m0 = recorder.messages.length;
  const rss: number[] = [];
  for (let s = 0; s < seconds; s++) {
    await new Promise(r => setTimeout(r, 1000));
    rss.push(rssMiB(pid));
  }
  const cpu = ((cpuSeconds(pid) - t0) / seconds) * 100;
  const updates = (recorder.messages.length - m0) / seconds;
  console.log(`devices=${devices} schedule=${interval} ms notify=100 ms window=${seconds} s`);
  console.log(
    `mapper CPU ${cpu.toFixed(1)}% of one core, RSS ${Math.min(...rss).toFixed(0)}-${Math.max(...rss).toFixed(0)} MiB, twin updates ${updates.toFixed(0)}/s`,
  );
} finally {
  clearInterval(notifier);
  await child.stop();
  await recorder.close();
  await radio.close();
  await broker.stop();
}
