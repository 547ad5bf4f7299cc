/**
 * Device status writes for 100 devices whose mapper reports every 100 ms: how many writes
 * DeviceTwin queues for the apiserver per second. Each queued write is one merge-patch PATCH
 * when EdgeHub is up (the outbox drainer sends entries one by one; offline they merge
 * further), so this is the apiserver write rate. Runs twice: with the default global cap
 * (100 writes/s) and with the cap lifted, to show the per-device, per-report-cycle coalescing
 * on its own. Real agent: SQLite file, outbox, embedded broker; mapper traffic over MQTT.
 * Run: `node --conditions=source --import tsx bench/devicetwin-status.ts [seconds]`.
 */
import { DeviceTopicSuffix, deviceTopic } from "@kubeedge-ts/contract";
import mqtt from "mqtt";
import { manyDevicesProfile } from "../edge-agent/src/devicetwin/testdata/fixtures.js";
import { startTestAgent } from "../edge-agent/src/devicetwin/testdata/agent.js";
import { OutboxKind } from "../edge-agent/src/store/outbox.js";

const seconds = Number(process.argv[2] ?? "10");
const DEVICES = 100;
const PERIOD_MS = 100;

async function run(cap: number | undefined, reportCycleNs: number): Promise<void> {
  const t = await startTestAgent({ twin: { reporter: cap ? { maxWritesPerSecond: cap } : {} } });
  try {
    t.setProfile(manyDevicesProfile(DEVICES, "default", reportCycleNs), "1");
    while (t.twin.state!.size < DEVICES) await new Promise(r => setTimeout(r, 10));
    const mapper = await mqtt.connectAsync(t.url);
    let enqueued = 0;
    const off = t.agent.outbox.onEnqueue(() => enqueued++);
    let readings = 0;
    const started = Date.now();
    let tick = 0;
    while (Date.now() - started < seconds * 1000) {
      for (let d = 0; d < DEVICES; d++) {
        const payload = JSON.stringify({
          event_id: `t${tick}-${d}`,
          timestamp: Date.now(),
          twin: {
            temperature: {
              actual: { value: String(tick % 50), metadata: { timestamp: Date.now() } },
            },
          },
        });
        mapper.publish(deviceTopic(`dev-${d}`, DeviceTopicSuffix.TwinUpdate), payload);
        readings++;
      }
      tick++;
      const next = started + tick * PERIOD_MS;
      await new Promise(r => setTimeout(r, Math.max(0, next - Date.now())));
    }
    const elapsed = (Date.now() - started) / 1000;
    off();
    const cycleMs = reportCycleNs / 1e6;
    const writes = t.twin.reporter!.writes;
    const perDevicePerCycle = writes / DEVICES / ((elapsed * 1000) / cycleMs);
    console.log(
      `cap ${cap ?? "default (100/s)"}, reportCycle ${cycleMs} ms: ${readings} readings in ${elapsed.toFixed(1)} s ` +
        `(${Math.round(readings / elapsed)}/s) → ${writes} status writes = ${(writes / elapsed).toFixed(1)} writes/s ` +
        `= ${perDevicePerCycle.toFixed(2)} per device per report cycle; outbox enqueues ${enqueued}, ` +
        `pending ${t.agent.outbox.peek(10_000).filter(e => e.kind === OutboxKind.DeviceStatus).length}`,
    );
    await mapper.endAsync();
  } finally {
    await t.stop();
  }
}

await run(undefined, 100_000_000);
await run(100_000, 100_000_000);
await run(undefined, 1_000_000_000);
