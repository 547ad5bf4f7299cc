/**
 * The agent side of bench/devicetwin-ingest.ts: a real edge agent (SQLite file, outbox, module
 * bus, DeviceTwin, embedded aedes broker) with `count` devices, run as its own process so it
 * can be pinned to one core (`agent-process.ts`). Prints `READY <url>` (with the mapper login) and, on SIGUSR2, `STATS <json>`.
 * Run by the bench; by hand: `node --conditions=source --import tsx bench/devicetwin-agent.ts 100 [limited|unlimited]`.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { manyDevicesProfile } from "../edge-agent/src/devicetwin/testdata/fixtures.js";
import { startTestAgent } from "../edge-agent/src/devicetwin/testdata/agent.js";

const count = Number(process.argv[2] ?? "100");
const t = await startTestAgent({
  twin: { reporter: { minCycleMs: 100 } },
  configure: c => {
    if (process.argv[3] === "unlimited") {
      c.modules.eventBus.maxPublishesPerSecond = 0;
      c.modules.eventBus.maxPublishBytesPerSecond = 0;
    }
  },
});
t.setProfile(manyDevicesProfile(count), "1");
while (t.twin.state!.size < count) await new Promise(r => setTimeout(r, 10));
process.stdout.write(`READY ${t.url}\n`);
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
/** kubeedge_edge_mqtt_refused_total by reason, from the agent's /metrics text. */
function mqttRefused(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of t.agent.metrics
    .render()
    .matchAll(/mqtt_refused_total\{reason="([^"]+)"\} (\d+)/g))
    out[m[1]!] = Number(m[2]);
  return out;
}
process.on("SIGUSR2", () => {
  const stats = {
    loopDelayMaxMs: Math.round(loop.max / 1e6),
    loopDelayP99Ms: Math.round(loop.percentile(99) / 1e6),
    mqttRefused: mqttRefused(),
    handled: t.twin.engine!.handled,
    refused: t.twin.engine!.refused,
    statusWrites: t.twin.reporter!.writes,
    rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
    cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
  };
  loop.reset();
  process.stdout.write(`STATS ${JSON.stringify(stats)}\n`);
});
const stop = async (): Promise<void> => {
  await t.stop();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
