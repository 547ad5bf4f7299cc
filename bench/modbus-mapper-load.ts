/**
 * CPU and RSS of the Modbus mapper process serving N devices (default 100) on a 1 s collect and
 * report cycle: each device has an int holding register and a float32 input register, all
 * behind one pymodbus TCP server with N slave ids (a gateway), reporting to mosquitto. Runs the
 * mapper through its bin, as users run it (`npm run build` first), warms up, then samples /proc for the measuring window.
 * Run: `node --conditions=source --import tsx bench/modbus-mapper-load.ts [devices] [seconds]`.
 */
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  binPath,
  startChild,
  freePort,
  startMosquitto,
  MqttRecorder,
  eventually,
  startPymodbus,
  modbusProfile,
  type TestDevice,
} from "@kubeedge-ts/testkit";
import { cpuSeconds, rssMiB } from "./proc.js";

const count = Number(process.argv[2] ?? 100);
const seconds = Number(process.argv[3] ?? 30);

const slaves = Array.from({ length: count }, (_, i) => i + 1);
const broker = await startMosquitto();
const server = await startPymodbus({ slaves });
const devices: TestDevice[] = slaves.map(id => ({
  id: `bench/dev-${id}`,
  slaveId: id,
  tcpPort: server.port,
  properties: [
    {
      name: "temperature",
      dataType: "int",
      collectMs: 1000,
      visitor: { register: "HoldingRegister", offset: 0, limit: 1 },
    },
    {
      name: "humidity",
      dataType: "float",
      collectMs: 1000,
      visitor: { register: "InputRegister", offset: 2, limit: 2 },
    },
  ],
}));
const profile = join(tmpdir(), `modbus-bench-${process.pid}.json`);
writeFileSync(profile, JSON.stringify(modbusProfile(devices)));
const edge = await MqttRecorder.start(broker.url, [
  "$hw/events/device/+/+/twin/update",
  "$hw/events/device/+/+/state/update",
]);
const mapper = startChild(
  binPath("kubeedge-mapper-modbus"),
  ["--profile", profile, "--mqtt", broker.url],
  {
    env: {
      ...process.env,
      // BENCH_NODE_ARGS="--cpu-prof" profiles the mapper.
      NODE_OPTIONS: process.env.BENCH_NODE_ARGS ?? process.env.NODE_OPTIONS ?? "",
      MAPPER_HTTP_PORT: String(await freePort()),
      MAPPER_HTTP_HOST: "127.0.0.1",
      MAPPER_LOG_LEVEL: "warn",
    },
  },
);
try {
  const pid = mapper.proc.pid!;
  const online = (): number =>
    new Set(
      edge.messages
        .filter(m => m.topic.endsWith("/state/update") && m.payload.state === "online")
        .map(m => m.topic),
    ).size;
  await eventually(`${count} devices online`, () => online() === count, 60_000);
  await new Promise(r => setTimeout(r, 10_000)); // warm-up: JIT, steady timers
  const cpu0 = cpuSeconds(pid);
  const t0 = Date.now();
  const updates0 = edge.messages.length;
  let maxRss = 0;
  for (let s = 0; s < seconds; s++) {
    await new Promise(r => setTimeout(r, 1000));
    maxRss = Math.max(maxRss, rssMiB(pid));
  }
  const elapsed = (Date.now() - t0) / 1000;
  const cpu = ((cpuSeconds(pid) - cpu0) / elapsed) * 100;
  const updates = (edge.messages.length - updates0) / elapsed;
  const offline = edge.messages.filter(
    m => m.topic.endsWith("/state/update") && m.payload.state !== "online",
  ).length;
  console.log(
    `devices ${count}, properties ${count * 2}, cycle 1 s, window ${elapsed.toFixed(0)} s`,
  );
  console.log(
    `mapper CPU ${cpu.toFixed(1)} % of one core, RSS ${rssMiB(pid).toFixed(0)} MiB (max ${maxRss.toFixed(0)} MiB)`,
  );
  console.log(
    `twin/update messages received ${updates.toFixed(1)}/s (expected ~${count}/s), non-online states ${offline}`,
  );
} finally {
  await mapper.stop();
  await edge.close();
  await server.stop();
  await broker.stop();
}
