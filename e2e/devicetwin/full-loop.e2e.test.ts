/**
 * The whole device loop with the real cloud: the project's CRDs, the Pepr module (profiles
 * reconciler and admission, run by local/cloud-runner/module-runner.ts), an edge agent with its node
 * identity, and a scripted mapper on the embedded broker. `kubectl patch` of a desired value
 * reaches the mapper as a delta; a mapper report shows in `kubectl get device -o yaml`, with
 * the desired values kept (the cloud's node-write webhook rebuilds the twins list).
 */
import {
  DEVICE_PREFIX,
  DeviceTopicSuffix,
  EDGE_AGENT_LABEL,
  EDGE_NODE_ROLE_LABEL,
  EDGE_NODE_TAINT_KEY,
  deviceTopic,
} from "@kubeedge-ts/contract";
import { ModuleName, type Agent } from "@kubeedge-ts/edge-agent";
import { parse } from "yaml";
import { MqttRecorder } from "@kubeedge-ts/testkit";
import type { EventBusModule } from "../../edge-agent/src/eventbus/index.js";
import { crdsForTests, installCrds } from "../../local/cloud-runner/crds.js";
import { loadKube } from "../../local/kube/kube.js";
import { startModule, type RunningModule } from "../../local/cloud-runner/module-runner.js";
import { ensureDevices } from "../edge-agent/devices.js";
import { eventually, testCluster } from "../harness.js";
import { kubectlOk, type DeviceObject } from "./cloud.js";
import { startTwinAgent } from "./edge.js";

const cluster = testCluster();
const NS = "twin-loop";
const NODE = "twin-loop-1";
const ID = `${NS}/thermo-1`;
let module: RunningModule | undefined;
let agent: Agent | undefined;
let mapper: MqttRecorder | undefined;
let removeGrant: () => Promise<void> = async () => undefined;

const model = {
  apiVersion: "devices.kubeedge.io/v1alpha2",
  kind: "DeviceModel",
  metadata: { name: "thermometer", namespace: NS },
  spec: {
    properties: [
      {
        name: "temperature",
        type: { int: { accessMode: "ReadOnly", minimum: -40, maximum: 100 } },
      },
      { name: "enable", type: { string: { accessMode: "ReadWrite", defaultValue: "OFF" } } },
    ],
  },
};

const device = {
  apiVersion: "devices.kubeedge.io/v1alpha2",
  kind: "Device",
  metadata: { name: "thermo-1", namespace: NS },
  spec: {
    deviceModelRef: { name: "thermometer" },
    protocol: { modbus: { slaveID: 1 }, common: { tcp: { ip: "127.0.0.1", port: 5020 } } },
    nodeSelector: {
      nodeSelectorTerms: [{ matchExpressions: [{ key: "", operator: "In", values: [NODE] }] }],
    },
    propertyVisitors: [
      {
        propertyName: "temperature",
        reportCycle: 200_000_000,
        modbus: { register: "HoldingRegister", offset: 0, limit: 1, scale: 1 },
      },
      {
        propertyName: "enable",
        modbus: { register: "CoilRegister", offset: 1, limit: 1, scale: 1 },
      },
    ],
  },
  status: {
    twins: [{ propertyName: "enable", desired: { value: "ON", metadata: { type: "string" } } }],
  },
};

function lastDelta(): Record<string, string> | undefined {
  return mapper?.last(deviceTopic(ID, DeviceTopicSuffix.TwinUpdateDelta))?.payload.delta as
    | Record<string, string>
    | undefined;
}

async function getDeviceYaml(): Promise<DeviceObject> {
  return parse(
    await kubectlOk(cluster, ["get", "device", "thermo-1", "-n", NS, "-o", "yaml"]),
  ) as DeviceObject;
}

beforeAll(async () => {
  await installCrds(loadKube(cluster.adminKubeconfig), crdsForTests());
  removeGrant = await ensureDevices(cluster);
  await cluster.kubectl(["create", "namespace", NS]);
  module = await startModule({ kubeconfig: cluster.adminKubeconfig });
  agent = await startTwinAgent(cluster, NODE);
  const eventbus = agent.modules.find(m => m.name === ModuleName.EventBus) as EventBusModule;
  mapper = await MqttRecorder.start(`mqtt://127.0.0.1:${eventbus.internal!.port}`, [
    `${DEVICE_PREFIX}+/+${DeviceTopicSuffix.TwinUpdateDelta}`,
    `${DEVICE_PREFIX}+/+${DeviceTopicSuffix.TwinUpdateResult}`,
  ]);
  await kubectlOk(cluster, ["apply", "-f", "-"], JSON.stringify(model));
  await eventually(
    "the device to be admitted",
    async () => {
      const r = await cluster.kubectl(["apply", "-f", "-"], { input: JSON.stringify(device) });
      return r.code === 0;
    },
    60_000,
  );
}, 300_000);

afterAll(async () => {
  await mapper?.close();
  await agent?.stop();
  await module?.stop();
  await cluster.kubectl(["delete", "namespace", NS, "--wait=false"]);
  await cluster.kubectl(["delete", "node", NODE, "--ignore-not-found"]);
  await removeGrant();
});

describe("device loop with the real cloud module", () => {
  it("gives the node the agent registered the edge role and KubeEdge's edge defaults", async () => {
    // The agent may only mark its Node (NodeRestriction forbids node-role labels from a node);
    // the cloud's nodes capability adds the role, and the role brings the edge taint.
    const node = await eventually("the edge role on the agent's node", async () => {
      const n = JSON.parse(await kubectlOk(cluster, ["get", "node", NODE, "-o", "json"])) as {
        metadata: { labels: Record<string, string> };
        spec: { taints?: { key: string; effect: string }[] };
      };
      return n.metadata.labels[EDGE_NODE_ROLE_LABEL] === "" ? n : undefined;
    });
    expect(node.metadata.labels[EDGE_AGENT_LABEL]).toBe("kubeedge-ts");
    expect(node.spec.taints).toContainEqual({ key: EDGE_NODE_TAINT_KEY, effect: "NoSchedule" });
  });

  it("gives the mapper the Device's desired value as a delta", async () => {
    await eventually("first delta", async () => lastDelta()?.enable === "ON", 90_000);
  });

  it("delivers a kubectl patch of a desired value as a delta", async () => {
    const twins = [
      { propertyName: "enable", desired: { value: "OFF", metadata: { type: "string" } } },
    ];
    const started = Date.now();
    await kubectlOk(cluster, [
      "patch",
      "device",
      "thermo-1",
      "-n",
      NS,
      "--type",
      "merge",
      "-p",
      JSON.stringify({ status: { twins } }),
    ]);
    await eventually("delta OFF", async () => lastDelta()?.enable === "OFF", 60_000, 20);
    console.log(`kubectl patch → delta at the mapper: ${Date.now() - started} ms`);
  });

  it("shows a mapper report in kubectl get device -o yaml, desired values kept", async () => {
    const now = Date.now();
    await mapper!.publish(deviceTopic(ID, DeviceTopicSuffix.TwinUpdate), {
      event_id: "report-1",
      timestamp: now,
      twin: {
        temperature: {
          actual: { value: "25", metadata: { timestamp: now } },
          metadata: { type: "int" },
        },
        enable: {
          actual: { value: "OFF", metadata: { timestamp: now } },
          metadata: { type: "string" },
        },
      },
    });
    await mapper!.publish(deviceTopic(ID, DeviceTopicSuffix.StateUpdate), {
      event_id: "s1",
      state: "online",
    });
    const d = await eventually(
      "reported values in the Device",
      async () => {
        const dev = await getDeviceYaml();
        const twin = (p: string) => dev.status?.twins?.find(t => t.propertyName === p);
        return (
          twin("temperature")?.reported?.value === "25" &&
          twin("enable")?.reported?.value === "OFF" &&
          dev.status?.state === "online" &&
          dev
        );
      },
      60_000,
    );
    expect(d.status?.twins?.find(t => t.propertyName === "enable")?.desired?.value).toBe("OFF");
    expect(d.status?.lastOnlineTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it("queues reports while the apiserver is down; they arrive after it returns, last value winning", async () => {
    await cluster.stopApiServer();
    let last = 0;
    try {
      for (let v = 30; v <= 45; v++) {
        last = Date.now();
        const twin = {
          temperature: { actual: { value: String(v), metadata: { timestamp: last } } },
        };
        await mapper!.publish(deviceTopic(ID, DeviceTopicSuffix.TwinUpdate), {
          event_id: `down-${v}`,
          timestamp: last,
          twin,
        });
      }
      await eventually("reports queued", async () =>
        agent!.outbox.peek(1000).some(e => e.key === ID),
      );
    } finally {
      await cluster.startApiServer();
    }
    await eventually(
      "last queued value in the Device",
      async () => {
        const dev = await getDeviceYaml();
        const t = dev.status?.twins?.find(x => x.propertyName === "temperature");
        return t?.reported?.value === "45" && t.reported.metadata?.timestamp === String(last);
      },
      90_000,
    );
    await eventually(
      "outbox drained",
      async () => !agent!.outbox.peek(1000).some(e => e.key === ID),
    );
  });
});
