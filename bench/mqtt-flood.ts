/**
 * MQTT flood: mappers send maximum-size `twin/update` messages (about 60 KiB: 110 twins of 500
 * characters, each stored in SQLite) as fast as their sockets take them, while one client keeps
 * sending oversize packets (cut by the broker, reconnecting), against a real agent pinned to
 * one core. Measures the agent's event-loop delay during the flood: the Lease renewal runs on
 * that loop (`modules.edgeHub.heartbeat`, 10 s by default), so the largest delay is how late a
 * renewal can be.
 * Run: `node --conditions=source --import tsx bench/mqtt-flood.ts [seconds] [clients]`.
 */
import { performance } from "node:perf_hooks";
import { DeviceTopicSuffix, deviceTopic } from "@kubeedge-ts/contract";
import mqtt, { type MqttClient } from "mqtt";
import { startBenchAgent } from "./agent-process.js";

const seconds = Number(process.argv[2] ?? "20");
const CLIENTS = Number(process.argv[3] ?? "4");
const DEVICES = 10;
const TWINS = 110;
const HEARTBEAT_MS = 10_000;

function bigUpdate(i: number): string {
  const twin: Record<string, unknown> = {};
  for (let k = 0; k < TWINS; k++) {
    twin[`t${k}`] = {
      actual: { value: String(i % 10).repeat(500) },
      metadata: { type: "string" },
    };
  }
  return JSON.stringify({ event_id: `f${i}`, twin });
}

/** Publishes as fast as the socket drains until `until`; resolves with messages and bytes. */
async function flood(client: MqttClient, n: number, until: number) {
  let sent = 0;
  let bytes = 0;
  while (performance.now() < until) {
    const payload = bigUpdate(sent);
    const topic = deviceTopic(`dev-${(n + sent) % DEVICES}`, DeviceTopicSuffix.TwinUpdate);
    await new Promise<void>(resolve => client.publish(topic, payload, { qos: 0 }, () => resolve()));
    sent++;
    bytes += payload.length;
  }
  return { sent, bytes };
}

/** Oversize packets, one per connection: the broker cuts each at its length header. */
async function oversize(url: string, until: number): Promise<number> {
  let cut = 0;
  const payload = "x".repeat(200_000);
  while (performance.now() < until) {
    const c = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
    const closed = new Promise<void>(resolve => c.once("close", () => resolve()));
    c.publish(deviceTopic("dev-0", DeviceTopicSuffix.TwinUpdate), payload, { qos: 0 });
    await closed;
    await c.endAsync(true);
    cut++;
  }
  return cut;
}

const agent = await startBenchAgent(DEVICES);
try {
  await new Promise(r => setTimeout(r, 2000));
  const idle = await agent.stats();
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, () => mqtt.connectAsync(agent.url)),
  );
  const started = performance.now();
  const until = started + seconds * 1000;
  const [floods, cut] = await Promise.all([
    Promise.all(clients.map((c, n) => flood(c, n, until))),
    oversize(agent.url, until),
  ]);
  const during = await agent.stats();
  const elapsed = (performance.now() - started) / 1000;
  const sent = floods.reduce((a, f) => a + f.sent, 0);
  const mib = floods.reduce((a, f) => a + f.bytes, 0) / 2 ** 20;
  await Promise.all(clients.map(c => c.endAsync()));
  const cpu = (during.cpuMs - idle.cpuMs) / 1000;
  console.log(
    `flood:                  ${CLIENTS} mappers, ${seconds} s, ${TWINS} twins × 500 chars per message`,
  );
  console.log(
    `sent:                   ${sent} messages, ${mib.toFixed(0)} MiB (${(mib / elapsed).toFixed(1)} MiB/s)`,
  );
  console.log(
    `handled by DeviceTwin:  ${during.handled - idle.handled} (agent CPU ${cpu.toFixed(1)} s)`,
  );
  console.log(
    `oversize connections:   ${cut} cut; refused by reason ${JSON.stringify(during.mqttRefused)}`,
  );
  console.log(
    `event-loop delay idle:  max ${idle.loopDelayMaxMs} ms, p99 ${idle.loopDelayP99Ms} ms`,
  );
  console.log(
    `event-loop delay flood: max ${during.loopDelayMaxMs} ms, p99 ${during.loopDelayP99Ms} ms`,
  );
  console.log(
    `Lease heartbeat:        ${HEARTBEAT_MS} ms → worst renewal delay ${during.loopDelayMaxMs} ms`,
  );
  console.log(`agent RSS after flood:  ${during.rssMiB} MiB`);
} finally {
  agent.stop();
}
