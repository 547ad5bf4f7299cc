/**
 * MQTT flood: mappers send maximum-size `twin/update` messages (about 60 KiB: 110 twins of 500
 * characters, each stored in SQLite) as fast as their sockets take them, while one client keeps
 * sending oversize packets (cut by the broker, reconnecting), against a real agent pinned to
 * one core. Measures the agent's event-loop delay during the flood: the Lease renewal runs on
 * that loop (`modules.edgeHub.heartbeat`, 10 s by default), so the largest delay is how late a
 * renewal can be.
 * `unlimited` lifts the broker's per-client publish rate (`modules.eventBus.maxPublishesPerSecond`,
 * `maxPublishBytesPerSecond`), to compare with the defaults.
 * Run: `node --conditions=source --import tsx bench/mqtt-flood.ts [seconds] [clients] [limited|unlimited]`.
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

/** Resolves once the message is written (true) or the broker closed the connection (false). */
function publishOrClosed(client: MqttClient, topic: string, payload: string): Promise<boolean> {
  return new Promise(resolve => {
    const onClose = (): void => resolve(false);
    client.once("close", onClose);
    client.publish(topic, payload, { qos: 0 }, error => {
      client.off("close", onClose);
      resolve(!error);
    });
  });
}

/**
 * Publishes as fast as the socket drains until `until`, connecting again at once whenever the
 * broker refuses it (rate limit); resolves with messages written, bytes and refusals.
 */
async function flood(url: string, n: number, until: number) {
  let sent = 0;
  let bytes = 0;
  let cutOff = 0;
  let client = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
  while (performance.now() < until) {
    if (!client.connected) {
      await client.endAsync(true);
      client = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
      cutOff++;
    }
    const payload = bigUpdate(sent);
    const topic = deviceTopic(`dev-${(n + sent) % DEVICES}`, DeviceTopicSuffix.TwinUpdate);
    if (!(await publishOrClosed(client, topic, payload))) continue;
    sent++;
    bytes += payload.length;
  }
  await client.endAsync(true);
  return { sent, bytes, cutOff };
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

const agent = await startBenchAgent(DEVICES, { rateLimited: process.argv[4] !== "unlimited" });
try {
  await new Promise(r => setTimeout(r, 2000));
  const idle = await agent.stats();
  const started = performance.now();
  const until = started + seconds * 1000;
  const [floods, cut] = await Promise.all([
    Promise.all(Array.from({ length: CLIENTS }, (_, n) => flood(agent.url, n, until))),
    oversize(agent.url, until),
  ]);
  const during = await agent.stats();
  const elapsed = (performance.now() - started) / 1000;
  const sent = floods.reduce((a, f) => a + f.sent, 0);
  const mib = floods.reduce((a, f) => a + f.bytes, 0) / 2 ** 20;
  const cutOff = floods.reduce((a, f) => a + f.cutOff, 0);
  const cpu = (during.cpuMs - idle.cpuMs) / 1000;
  console.log(
    `flood:                  ${CLIENTS} mappers, ${seconds} s, ${TWINS} twins × 500 chars per message`,
  );
  console.log(
    `sent:                   ${sent} messages, ${mib.toFixed(0)} MiB (${(mib / elapsed).toFixed(1)} MiB/s); ${cutOff} reconnects after a refusal`,
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
