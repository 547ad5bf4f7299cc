/**
 * Desired → delta latency: a new desired value arrives in the node's device profile (handed
 * to DeviceTwin as the meta manager does after EdgeHub's watch event) and the mapper
 * receives `twin/update/delta` over MQTT. 100 devices on the node; one change at a time.
 * Real agent: SQLite file, module bus, embedded aedes broker, mqtt.js mapper.
 * Run: `node --conditions=source --import tsx bench/devicetwin-latency.ts [changes]`.
 */
import { performance } from "node:perf_hooks";
import { DEVICE_PREFIX, DeviceTopicSuffix } from "@kubeedge-ts/contract";
import mqtt from "mqtt";
import { manyDevicesProfile } from "../edge-agent/src/devicetwin/testdata/fixtures.js";
import { startTestAgent } from "../edge-agent/src/devicetwin/testdata/agent.js";

const changes = Number(process.argv[2] ?? "300");
const DEVICES = 100;
const t = await startTestAgent();
try {
  const profile = manyDevicesProfile(DEVICES);
  t.setProfile(profile, "1");
  while (t.twin.state!.size < DEVICES) await new Promise(r => setTimeout(r, 10));
  const mapper = await mqtt.connectAsync(t.url);
  await mapper.subscribeAsync(`${DEVICE_PREFIX}+${DeviceTopicSuffix.TwinUpdateDelta}`);
  let waiting: { device: string; value: string; resolve: () => void } | undefined;
  mapper.on("message", (topic, payload) => {
    if (!waiting || !topic.includes(`/${waiting.device}/`)) return;
    const delta = (JSON.parse(payload.toString()) as { delta: Record<string, string> }).delta;
    if (delta.temperature === waiting.value) waiting.resolve();
  });
  const samples: number[] = [];
  for (let i = 0; i < changes; i++) {
    const d = i % DEVICES;
    const value = String(1000 + i);
    profile.deviceInstances[d]!.twins = [{ propertyName: "temperature", desired: { value } }];
    const got = new Promise<void>(resolve => (waiting = { device: `dev-${d}`, value, resolve }));
    const t0 = performance.now();
    t.setProfile(profile, String(2 + i));
    await got;
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const q = (p: number): string =>
    samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!.toFixed(2);
  console.log(`desired → delta, ${changes} changes, ${DEVICES} devices on the node:`);
  console.log(
    `  p50 ${q(0.5)} ms, p90 ${q(0.9)} ms, p99 ${q(0.99)} ms, max ${samples.at(-1)!.toFixed(2)} ms`,
  );
  await mapper.endAsync();
} finally {
  await t.stop();
}
