/**
 * DeviceTwin ingest: MQTT `twin/update` messages per second the edge agent takes in, validates,
 * stores in SQLite and answers (result + document), with the agent pinned to one core
 * (`taskset -c 1`) and the load generated from this process by 4 mqtt.js clients at QoS 0.
 * The clock stops when the agent answers a membership get sent after the last update: it
 * handles messages in order, so by then every update is stored.
 * On a shared machine the wall-clock rate depends on who else runs; the agent's own CPU time
 * (updates per CPU-second) is the figure that does not.
 * Run: `node --conditions=source --import tsx bench/devicetwin-ingest.ts [messages] [devices]`.
 */
import { performance } from "node:perf_hooks";
import { DeviceTopicSuffix, NodeTopicSuffix, deviceTopic, nodeTopic } from "@kubeedge-ts/contract";
import mqtt from "mqtt";
import { startBenchAgent } from "./agent-process.js";

const total = Number(process.argv[2] ?? "100000");
const devices = Number(process.argv[3] ?? "100");
const CLIENTS = 4;

const agent = await startBenchAgent(devices, { rateLimited: false });

try {
  const url = agent.url;
  const clients = await Promise.all(Array.from({ length: CLIENTS }, () => mqtt.connectAsync(url)));
  const probe = await mqtt.connectAsync(url);
  await probe.subscribeAsync(nodeTopic("edge-1", NodeTopicSuffix.MembershipGetResult));
  const done = new Promise<void>(resolve =>
    probe.on("message", (_t, p) => p.includes("bench-end") && resolve()),
  );

  const before = await agent.stats();
  let ts = Date.now() - 3_600_000;
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const d = i % devices;
    const payload = JSON.stringify({
      event_id: `e${i}`,
      timestamp: ts,
      twin: {
        temperature: {
          actual: { value: String(i % 100), metadata: { timestamp: ts++ } },
          metadata: { type: "int" },
        },
      },
    });
    clients[i % CLIENTS]!.publish(deviceTopic(`dev-${d}`, DeviceTopicSuffix.TwinUpdate), payload, {
      qos: 0,
    });
    // Let the sockets drain now and then so the generator does not buffer everything in memory.
    if (i % 2000 === 1999) await new Promise(r => setImmediate(r));
  }
  const sent = performance.now();
  // The last client sends the marker after its own updates; wait for the others to flush first.
  const flush = JSON.stringify({ event_id: "flush" });
  const flushTopic = deviceTopic("dev-0", DeviceTopicSuffix.TwinGet);
  await Promise.all(clients.map(c => c.publishAsync(flushTopic, flush, { qos: 1 })));
  probe.publish(
    nodeTopic("edge-1", NodeTopicSuffix.MembershipGet),
    JSON.stringify({ event_id: "bench-end" }),
  );
  await done;
  const elapsed = (performance.now() - started) / 1000;
  const stats = await agent.stats();
  const cpu = (stats.cpuMs - before.cpuMs) / 1000;
  console.log(
    `twin updates sent:      ${total} to ${devices} devices (${((sent - started) / 1000).toFixed(2)} s to send)`,
  );
  console.log(
    `handled by the agent:   ${stats.handled - before.handled - 1 - CLIENTS} (refused ${stats.refused})`,
  );
  console.log(
    `ingest rate, one core:  ${Math.round(total / elapsed)} updates/s (${elapsed.toFixed(2)} s)`,
  );
  console.log(
    `agent CPU time:         ${cpu.toFixed(2)} s → ${Math.round(total / cpu)} updates per CPU-second`,
  );
  console.log(`agent RSS after run:    ${stats.rssMiB} MiB`);
  await Promise.all([...clients, probe].map(c => c.endAsync()));
} finally {
  agent.stop();
}
