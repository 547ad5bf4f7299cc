/**
 * The whole device loop with the real cloud: the project's CRDs and RBAC, the Pepr module
 * (profiles reconciler and admission, run by local/cloud-runner/module-runner.ts), an edge agent with
 * its node identity, and a scripted mapper on the embedded broker. `kubectl patch` of a desired
 * value reaches the mapper as a delta; a mapper report shows in `kubectl get device -o yaml`,
 * with the desired values kept (the cloud's node-write webhook rebuilds the twins list); with
 * the apiserver down reports queue in the outbox and arrive when it returns, last value winning.
 */
import {
  DEVICE_PREFIX,
  DeviceTopicSuffix,
  EDGE_AGENT_LABEL,
  EDGE_NODE_ROLE_LABEL,
  EDGE_NODE_TAINT_KEY,
  deviceTopic,
} from "@kubeedge-ts/contract";
import type { Agent } from "@kubeedge-ts/edge-agent";
import { parse } from "yaml";
import { MqttRecorder, thermometerDevice, thermometerModel } from "@kubeedge-ts/testkit";
import { eventually, testCluster } from "../harness.js";
import { brokerUrl, startTwinAgent } from "./edge.js";
import {
  applyAdmitted,
  kubectlOk,
  reportedValue,
  startRealCloud,
  type DeviceObject,
  type RealCloud,
} from "./real-cloud.js";

interface EventObject {
  type: string;
  message: string;
  involvedObject: Record<string, string>;
}

const cluster = testCluster();
const NS = "twin-loop";
const NODE = "twin-loop-1";
/** The wire id: the Device's name (KubeEdge v1alpha2). */
const ID = "thermo-1";
let cloud: RealCloud | undefined;
let agent: Agent | undefined;
let mapper: MqttRecorder | undefined;

const model = thermometerModel({ namespace: NS, properties: ["enable", "power"] });

const device = thermometerDevice({
  name: ID,
  namespace: NS,
  node: NODE,
  endpoint: { host: "127.0.0.1", port: 5020 },
  properties: ["enable"],
  desired: { enable: "ON" },
  reportMs: 200,
});

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
  cloud = await startRealCloud(cluster, [NS]);
  agent = await startTwinAgent(cluster, NODE);
  mapper = await MqttRecorder.start(brokerUrl(agent), [
    `${DEVICE_PREFIX}+${DeviceTopicSuffix.TwinUpdateDelta}`,
    `${DEVICE_PREFIX}+${DeviceTopicSuffix.TwinUpdateResult}`,
  ]);
  await applyAdmitted(cluster, [model]);
  await applyAdmitted(cluster, [device]);
}, 300_000);

afterAll(async () => {
  await cluster.startApiServer().catch(() => undefined);
  await mapper?.close();
  await agent?.stop();
  await cloud?.stop();
  await cluster.kubectl(["delete", "node", NODE, "--ignore-not-found"]);
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
      const report = async (event: string, twin: object): Promise<void> =>
        mapper!.publish(deviceTopic(ID, DeviceTopicSuffix.TwinUpdate), {
          event_id: event,
          timestamp: Date.now(),
          twin,
        });
      for (let v = 30; v <= 44; v++) {
        await report(`down-${v}`, {
          temperature: { actual: { value: String(v), metadata: { timestamp: Date.now() } } },
        });
      }
      // Another property in between: the queued write carries every declared twin's value.
      await report("down-power", { power: { actual: { value: "true" } } });
      last = Date.now();
      await report("down-45", {
        temperature: { actual: { value: "45", metadata: { timestamp: last } } },
      });
      // The outbox keys device status by namespace/name, the agent's own identity.
      await eventually("reports queued", async () =>
        agent!.outbox.peek(1000).some(e => e.key === `${NS}/${ID}`),
      );
    } finally {
      await cluster.startApiServer();
    }
    const after = await eventually(
      "last queued values in the Device",
      async () => {
        const dev = await getDeviceYaml();
        const t = dev.status?.twins?.find(x => x.propertyName === "temperature");
        return (
          t?.reported?.value === "45" &&
          t.reported.metadata?.timestamp === String(last) &&
          reportedValue(dev, "power") === "true" &&
          dev
        );
      },
      90_000,
    );
    expect(after.status?.state).toBe("online");
    await eventually(
      "outbox drained",
      async () => !agent!.outbox.peek(1000).some(e => e.key === `${NS}/${ID}`),
    );
  });

  it("makes a desired value the agent cannot apply a Warning Event on the Device and a metric", async () => {
    // Admission judges a desired value against the model at write time; a model changed later
    // can leave it unfit. The desired "OFF" stays on the Device when "enable" becomes boolean.
    const changed = structuredClone(model) as {
      spec: { properties: { name: string; type: Record<string, unknown> }[] };
    };
    changed.spec.properties[1] = { name: "enable", type: { boolean: { accessMode: "ReadWrite" } } };
    await kubectlOk(cluster, ["apply", "-f", "-"], JSON.stringify(changed));
    const events = await eventually(
      "a ProfileTwinsNotApplied event",
      async () => {
        const r = await cluster.kubectl([
          ...["get", "events", "-n", NS, "--field-selector", "reason=ProfileTwinsNotApplied"],
          ...["-o", "json"],
        ]);
        const items = r.code === 0 ? (JSON.parse(r.stdout).items as EventObject[]) : [];
        return items.length > 0 ? items : undefined;
      },
      60_000,
    );
    expect(events).toHaveLength(1);
    expect(events[0]!.type).toBe("Warning");
    expect(events[0]!.involvedObject).toMatchObject({ kind: "Device", name: "thermo-1" });
    expect(events[0]!.message).toContain("twin enable: the value is not a boolean");
    const metrics = await (await fetch(`http://127.0.0.1:${agent!.healthPort}/metrics`)).text();
    expect(metrics).toContain("kubeedge_edge_twin_devices_profile_unapplied 1");
  });
});
