/**
 * The device loop against the real control plane: an edge agent with DeviceTwin and the
 * embedded broker, a scripted mapper, and Devices in kube-apiserver. Desired values reach the
 * mapper as deltas; reports land in the Device status; with the apiserver down reports queue
 * in the outbox and arrive when it returns, last value winning.
 */
import { DEVICE_PREFIX, DeviceTopicSuffix, deviceTopic } from "@kubeedge-ts/contract";
import { ModuleName, OutboxKind, type Agent } from "@kubeedge-ts/edge-agent";
import { parse } from "yaml";
import { MqttRecorder } from "@kubeedge-ts/testkit";
import { sampleProfile } from "../../edge-agent/src/devicetwin/testdata/fixtures.js";
import type { EventBusModule } from "../../edge-agent/src/eventbus/index.js";
import { eventually, testCluster } from "../harness.js";
import { ensureDevices } from "../edge-agent/devices.js";
import { getDevice, grantProfile, kubectlOk, syncProfile, thermoDevice } from "./cloud.js";
import { startTwinAgent } from "./edge.js";

const cluster = testCluster();
const NODE = "twin-e2e-1";
const NS = "twin-e2e";
const DEV = "thermo";
const ID = `${NS}/${DEV}`;
let agent: Agent;
let mapper: MqttRecorder;
let removeDevices: () => Promise<void> = async () => undefined;
let ts = Date.now() - 600_000;

async function report(values: Record<string, string>): Promise<void> {
  ts += 1000;
  const twin = Object.fromEntries(
    Object.entries(values).map(([k, v]) => [
      k,
      { actual: { value: v, metadata: { timestamp: ts } } },
    ]),
  );
  await mapper.publish(deviceTopic(ID, DeviceTopicSuffix.TwinUpdate), {
    event_id: `r-${ts}`,
    timestamp: ts,
    twin,
  });
}

function reported(d: Awaited<ReturnType<typeof getDevice>>, prop: string): string | undefined {
  return d.status?.twins?.find(t => t.propertyName === prop)?.reported?.value;
}

beforeAll(async () => {
  removeDevices = await ensureDevices(cluster);
  await cluster.kubectl(["create", "namespace", NS]);
  await kubectlOk(cluster, ["apply", "-f", "-"], JSON.stringify(thermoDevice(NS, DEV, "30")));
  agent = await startTwinAgent(cluster, NODE);
  const eventbus = agent.modules.find(m => m.name === ModuleName.EventBus) as EventBusModule;
  mapper = await MqttRecorder.start(`mqtt://127.0.0.1:${eventbus.internal!.port}`, [
    `${DEVICE_PREFIX}+/+${DeviceTopicSuffix.TwinUpdateDelta}`,
    `${DEVICE_PREFIX}+/+${DeviceTopicSuffix.TwinUpdateResult}`,
  ]);
  await grantProfile(cluster, NODE, NS);
  await syncProfile(cluster, NODE, await getDevice(cluster, NS, DEV), sampleProfile());
});

afterAll(async () => {
  await cluster.startApiServer().catch(() => undefined);
  await mapper?.close();
  await agent?.stop();
  await cluster.kubectl(["delete", "namespace", NS, "--wait=false"]);
  await cluster.kubectl(["delete", "node", NODE, "--ignore-not-found"]);
  await removeDevices();
});

function lastDelta(): Record<string, string> | undefined {
  return mapper.last(deviceTopic(ID, DeviceTopicSuffix.TwinUpdateDelta))?.payload.delta as
    | Record<string, string>
    | undefined;
}

describe("DeviceTwin with the real control plane", () => {
  it("hands the profile's desired value to the mapper as a delta when the device joins", async () => {
    await eventually("the first delta", async () => lastDelta()?.temperature === "30", 60_000);
  });

  it("delivers a kubectl patch of a desired value to the mapper as a delta", async () => {
    const patch = JSON.stringify({
      status: {
        twins: [
          { propertyName: "temperature", desired: { value: "42", metadata: { type: "int" } } },
        ],
      },
    });
    await kubectlOk(cluster, ["patch", "device", DEV, "-n", NS, "--type", "merge", "-p", patch]);
    const started = Date.now();
    // The cloud reconciler's step: the Device's desired values into the node's profile.
    await syncProfile(cluster, NODE, await getDevice(cluster, NS, DEV), sampleProfile());
    await eventually(
      "delta with the new desired value",
      async () => lastDelta()?.temperature === "42",
      30_000,
      20,
    );
    console.log(`desired → delta through the apiserver watch: ${Date.now() - started} ms`);
  });

  it("shows a mapper report in kubectl get device -o yaml", async () => {
    await report({ temperature: "25" });
    await mapper.publish(deviceTopic(ID, DeviceTopicSuffix.StateUpdate), {
      event_id: "s",
      state: "online",
    });
    await eventually(
      "reported value in the Device",
      async () => {
        const yaml = await kubectlOk(cluster, ["get", "device", DEV, "-n", NS, "-o", "yaml"]);
        const dev = parse(yaml) as Awaited<ReturnType<typeof getDevice>>;
        return (
          reported(dev, "temperature") === "25" &&
          dev.status?.state === "online" &&
          /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(dev.status?.lastOnlineTime ?? "")
        );
      },
      30_000,
    );
  });

  it("queues reports while the apiserver is down and delivers them, last value winning", async () => {
    await cluster.stopApiServer();
    try {
      for (let v = 100; v <= 120; v++) await report({ temperature: String(v) });
      await report({ power: "true" });
      await report({ temperature: "121" });
      await eventually("reports queued in the outbox", async () =>
        agent.outbox.peek(1000).some(e => e.kind === OutboxKind.DeviceStatus && e.key === ID),
      );
    } finally {
      await cluster.startApiServer();
    }
    const d = await eventually(
      "queued reports in the Device",
      async () => {
        const dev = await getDevice(cluster, NS, DEV);
        return reported(dev, "temperature") === "121" && reported(dev, "power") === "true" && dev;
      },
      60_000,
    );
    expect(d.status?.state).toBe("online");
    await eventually(
      "outbox drained",
      async () => !agent.outbox.peek(1000).some(e => e.key === ID),
    );
  });
});
