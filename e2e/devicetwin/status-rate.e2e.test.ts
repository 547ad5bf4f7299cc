/**
 * Status writes reaching kube-apiserver for 100 devices whose mapper reports every 100 ms
 * (reportCycle 100 ms in each Device): counted by the apiserver itself
 * (apiserver_request_total for PATCH on devices), through the agent's real EdgeHub, with
 * the real cloud module building the node's profile. Goal: at most one write per device per
 * report cycle; the agent's global cap (100 writes/s) keeps it well below.
 */
import { DeviceTopicSuffix, deviceTopic } from "@kubeedge-ts/contract";
import { thermometerDevice, thermometerModel } from "@kubeedge-ts/testkit";
import { ModuleName, type Agent } from "@kubeedge-ts/edge-agent";
import mqtt, { type MqttClient } from "mqtt";
import { eventually, testCluster } from "../harness.js";
import { brokerUrl, startTwinAgent } from "./edge.js";
import { applyAdmitted, kubectlOk, startRealCloud, type RealCloud } from "./real-cloud.js";

const cluster = testCluster();
const NODE = "twin-rate-1";
const NS = "twin-rate";
const DEVICES = 100;
const PERIOD_MS = 100;
const SECONDS = 8;
let agent: Agent;
let mapper: MqttClient;
let cloud: RealCloud | undefined;

const model = thermometerModel({ name: "rate-thermometer", namespace: NS });

function rateDevice(name: string): object {
  return thermometerDevice({
    name,
    namespace: NS,
    node: NODE,
    model: "rate-thermometer",
    endpoint: { host: "127.0.0.1", port: 5020 },
    reportMs: PERIOD_MS,
  });
}

async function devicePatches(): Promise<number> {
  const text = await kubectlOk(cluster, ["get", "--raw", "/metrics"]);
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith("apiserver_request_total{")) continue;
    if (!line.includes('resource="devices"') || !line.includes('verb="PATCH"')) continue;
    sum += Number(line.split(" ").pop());
  }
  return sum;
}

beforeAll(async () => {
  cloud = await startRealCloud(cluster, [NS]);
  await applyAdmitted(cluster, [model]);
  await applyAdmitted(
    cluster,
    Array.from({ length: DEVICES }, (_, i) => rateDevice(`dev-${i}`)),
  );
  agent = await startTwinAgent(cluster, NODE);
  mapper = await mqtt.connectAsync(brokerUrl(agent));
  await eventually(
    "devices on the node",
    async () => {
      const twin = agent.modules.find(m => m.name === ModuleName.DeviceTwin) as unknown as {
        state?: { size: number };
      };
      return twin.state?.size === DEVICES;
    },
    60_000,
  );
});

afterAll(async () => {
  await mapper?.endAsync();
  await agent?.stop();
  await cloud?.stop();
  await cluster.kubectl(["delete", "node", NODE, "--ignore-not-found"]);
});

it(`writes at most once per device per report cycle (${DEVICES} devices, every ${PERIOD_MS} ms)`, async () => {
  const before = await devicePatches();
  const started = Date.now();
  let tick = 0;
  while (Date.now() - started < SECONDS * 1000) {
    for (let d = 0; d < DEVICES; d++) {
      const now = Date.now();
      const twin = {
        temperature: { actual: { value: String(tick % 50), metadata: { timestamp: now } } },
      };
      mapper.publish(
        deviceTopic(`dev-${d}`, DeviceTopicSuffix.TwinUpdate),
        JSON.stringify({ event_id: `${tick}-${d}`, timestamp: now, twin }),
      );
    }
    tick++;
    await new Promise(r => setTimeout(r, Math.max(0, started + tick * PERIOD_MS - Date.now())));
  }
  const elapsed = (Date.now() - started) / 1000;
  const patches = (await devicePatches()) - before;
  const cycles = (elapsed * 1000) / PERIOD_MS;
  const perDeviceCycle = patches / DEVICES / cycles;
  console.log(
    `${DEVICES * tick} readings in ${elapsed.toFixed(1)} s → ${patches} PATCHes reached the apiserver ` +
      `(${(patches / elapsed).toFixed(1)}/s, ${perDeviceCycle.toFixed(3)} per device per report cycle)`,
  );
  expect(patches).toBeGreaterThan(0);
  expect(perDeviceCycle).toBeLessThanOrEqual(1);
}, 120_000);
