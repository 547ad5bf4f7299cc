/**
 * What `synchronous=FULL` costs: a real edge agent (SQLite file on this machine's disk, embedded
 * broker, DeviceTwin with its group commit) answers mapper `twin/update` messages, once with the
 * agent's own setting (FULL: every commit fsynced) and once switched back to NORMAL (the WAL is
 * fsynced only at checkpoints). Two loads per setting:
 * - one-by-one: a mapper waits for each result before the next update (reply latency);
 * - burst: a burst of updates published at once, until the last result (writes/s, and the
 *   latency of each update from its publish to its result).
 * Run: `node --conditions=source --import tsx bench/twin-durability.ts [sequential] [burst]`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { DeviceTopicSuffix, deviceTopic } from "@kubeedge-ts/contract";
import mqtt from "mqtt";
import { manyDevicesProfile } from "../edge-agent/src/devicetwin/testdata/fixtures.js";
import { startTestAgent } from "../edge-agent/src/devicetwin/testdata/agent.js";

const SEQUENTIAL = Number(process.argv[2] ?? "500");
const BURST = Number(process.argv[3] ?? "5000");
const DEVICES = 10;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

function update(i: number): string {
  return JSON.stringify({
    event_id: `u${i}`,
    twin: { temperature: { actual: { value: String(i % 100), metadata: { timestamp: i } } } },
  });
}

async function measure(synchronous: "FULL" | "NORMAL") {
  // Not os.tmpdir(): it may be a tmpfs, where fsync costs nothing.
  const dir = mkdtempSync(join(process.cwd(), ".bench-durability-"));
  const t = await startTestAgent({ dir });
  try {
    t.agent.db.pragma(`synchronous = ${synchronous}`);
    t.setProfile(manyDevicesProfile(DEVICES), "1");
    while (t.twin.state!.size < DEVICES) await new Promise(r => setTimeout(r, 10));
    const mapper = await mqtt.connectAsync(t.url);
    const results = Array.from({ length: DEVICES }, (_, d) =>
      deviceTopic(`dev-${d}`, DeviceTopicSuffix.TwinUpdateResult),
    );
    await mapper.subscribeAsync(results);
    const answered = new Map<string, number>();
    let waiter: (() => void) | undefined;
    let waitingFor = 0;
    mapper.on("message", (_topic, payload) => {
      const id = (JSON.parse(payload.toString()) as { event_id: string }).event_id;
      answered.set(id, performance.now());
      if (answered.size >= waitingFor) waiter?.();
    });
    const until = (n: number) =>
      new Promise<void>(resolve => {
        waitingFor = n;
        waiter = resolve;
        if (answered.size >= n) resolve();
      });
    const topic = (i: number) => deviceTopic(`dev-${i % DEVICES}`, DeviceTopicSuffix.TwinUpdate);

    const oneByOne: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) {
      const sent = performance.now();
      mapper.publish(topic(i), update(i), { qos: 0 });
      await until(i + 1);
      oneByOne.push(answered.get(`u${i}`)! - sent);
    }
    const seqMs = oneByOne.reduce((a, b) => a + b, 0);

    const sentAt: number[] = [];
    const started = performance.now();
    for (let i = SEQUENTIAL; i < SEQUENTIAL + BURST; i++) {
      sentAt.push(performance.now());
      mapper.publish(topic(i), update(i), { qos: 0 });
    }
    await until(SEQUENTIAL + BURST);
    const burstMs = performance.now() - started;
    const burstLatency = sentAt.map((s, k) => answered.get(`u${SEQUENTIAL + k}`)! - s);
    await mapper.endAsync();
    oneByOne.sort((a, b) => a - b);
    burstLatency.sort((a, b) => a - b);
    return {
      synchronous,
      oneByOnePerS: Math.round((SEQUENTIAL * 1000) / seqMs),
      oneByOneP50Ms: +percentile(oneByOne, 50).toFixed(2),
      oneByOneP99Ms: +percentile(oneByOne, 99).toFixed(2),
      burstPerS: Math.round((BURST * 1000) / burstMs),
      burstP99Ms: Math.round(percentile(burstLatency, 99)),
    };
  } finally {
    await t.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const load = loadavg()
  .map(l => l.toFixed(1))
  .join(" ");
const rows = [];
for (const s of ["NORMAL", "FULL", "NORMAL", "FULL"] as const) rows.push(await measure(s));
console.table(rows);
console.log(
  `load average before: ${load}, after: ${loadavg()
    .map(l => l.toFixed(1))
    .join(" ")}`,
);
