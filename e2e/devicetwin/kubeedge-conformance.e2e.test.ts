/**
 * KubeEdge's v1alpha2 mapper contract, checked from a mapper's side with the real cloud (CRDs,
 * RBAC, the Pepr module) and an edge agent. The "mapper" here is written from KubeEdge's
 * contract only: it subscribes with single-level `+` wildcards as KubeEdge's own mappers do
 * (v1.5 modbus_mapper: `$hw/events/device/+/twin/update/delta`, `…/+/twin/get/result`;
 * mappers-go v1.13 the same plus membership) and names the device by the profile's `id`.
 * The manifest is KubeEdge-style: the read-only property's twin is declared with an empty
 * desired value and no report/collect cycles are set.
 */
import {
  DEVICE_PREFIX,
  DeviceTopicSuffix,
  NodeTopicSuffix,
  PROFILE_CONFIGMAP_KEY,
  UPLOAD_PREFIX,
  deviceTopic,
  nodeTopic,
  parseDeviceTopic,
  profileConfigMapName,
  type DeviceProfile,
} from "@kubeedge-ts/contract";
import type { Agent } from "@kubeedge-ts/edge-agent";
import { MqttRecorder, type Recorded } from "@kubeedge-ts/testkit";
import { eventually, testCluster } from "../harness.js";
import { brokerUrl, startTwinAgent } from "./edge.js";
import {
  applyAdmitted,
  getDevice,
  kubectlOk,
  reportedValue,
  startRealCloud,
  type RealCloud,
} from "./real-cloud.js";

const cluster = testCluster();
const NS = "ke-conformance";
const NODE = "ke-conformance-1";
const NAME = "thermo-ke";
/** KubeEdge v1.4–v1.16: the device id on the wire is the bare Device name. */
const ID = NAME;

const model = {
  apiVersion: "devices.kubeedge.io/v1alpha2",
  kind: "DeviceModel",
  metadata: { name: "ke-thermometer", namespace: NS },
  spec: {
    properties: [
      {
        name: "temperature",
        description: "read-only sensor value",
        type: { int: { accessMode: "ReadOnly", minimum: -40, maximum: 125, unit: "celsius" } },
      },
      {
        name: "temperature-enable",
        type: { string: { accessMode: "ReadWrite", defaultValue: "OFF" } },
      },
    ],
  },
};

const device = {
  apiVersion: "devices.kubeedge.io/v1alpha2",
  kind: "Device",
  metadata: { name: NAME, namespace: NS, labels: { description: "KubeEdge-style" } },
  spec: {
    deviceModelRef: { name: "ke-thermometer" },
    protocol: { modbus: { slaveID: 1 }, common: { tcp: { ip: "127.0.0.1", port: 5020 } } },
    nodeSelector: {
      nodeSelectorTerms: [{ matchExpressions: [{ key: "", operator: "In", values: [NODE] }] }],
    },
    propertyVisitors: [
      {
        propertyName: "temperature",
        modbus: { register: "HoldingRegister", offset: 0, limit: 1, scale: 1 },
      },
      {
        propertyName: "temperature-enable",
        modbus: { register: "CoilRegister", offset: 1, limit: 1, scale: 1 },
      },
    ],
  },
  status: {
    twins: [
      // As KubeEdge's samples declare a read-only property for mappers-go to poll.
      { propertyName: "temperature", desired: { metadata: { type: "int" }, value: "" } },
      {
        propertyName: "temperature-enable",
        desired: { metadata: { type: "string" }, value: "ON" },
      },
    ],
  },
};

/** What a KubeEdge mapper subscribes to: single-level wildcards only. */
const KUBEEDGE_SUBSCRIPTIONS = [
  `${DEVICE_PREFIX}+${DeviceTopicSuffix.TwinUpdateDelta}`,
  `${DEVICE_PREFIX}+${DeviceTopicSuffix.TwinGetResult}`,
  `${DEVICE_PREFIX}+${DeviceTopicSuffix.TwinUpdateResult}`,
  `${DEVICE_PREFIX}+${DeviceTopicSuffix.StateUpdateResult}`,
  `${DEVICE_PREFIX}+${DeviceTopicSuffix.AttributesUpdated}`,
  `$hw/events/node/+${NodeTopicSuffix.MembershipGetResult}`,
  `$hw/events/node/+${NodeTopicSuffix.MembershipUpdated}`,
];

let cloud: RealCloud | undefined;
let agent: Agent | undefined;
let mapper: MqttRecorder | undefined;
/** Everything published under the device prefix, to check no two-level id is ever used. */
let everything: MqttRecorder | undefined;
const OBSERVED = [
  ...Object.values(DeviceTopicSuffix)
    .filter(s => s !== DeviceTopicSuffix.TwinGet)
    .flatMap(s => [`${DEVICE_PREFIX}+${s}`, `${DEVICE_PREFIX}+/+${s}`]),
  ...[
    NodeTopicSuffix.MembershipGetResult,
    NodeTopicSuffix.MembershipUpdated,
    NodeTopicSuffix.MembershipDetail,
  ].map(s => nodeTopic("+", s)),
];

function withEventId(topic: string, eventId: string): () => Promise<Recorded | undefined> {
  return async () => mapper!.on(topic).find(m => m.payload.event_id === eventId);
}

async function profile(): Promise<DeviceProfile> {
  const cm = JSON.parse(
    await kubectlOk(cluster, [
      "get",
      "configmap",
      profileConfigMapName(NODE),
      "-n",
      NS,
      "-o",
      "json",
    ]),
  ) as { data: Record<string, string> };
  return JSON.parse(cm.data[PROFILE_CONFIGMAP_KEY]!) as DeviceProfile;
}

beforeAll(async () => {
  cloud = await startRealCloud(cluster, [NS]);
  // KubeEdge's mappers connect without credentials: the agent lets them in as mappers.
  agent = await startTwinAgent(cluster, NODE, {
    allowAnonymous: true,
    applications: [{ name: "observer", writes: [] }],
  });
  mapper = await MqttRecorder.start(brokerUrl(agent, { anonymous: true }), KUBEEDGE_SUBSCRIPTIONS);
  // An application may read every device topic, but not with `#`: each topic, both id forms.
  everything = await MqttRecorder.start(brokerUrl(agent, { app: "observer" }), OBSERVED);
  await applyAdmitted(cluster, [model]);
  // The KubeEdge-style manifest, read-only twin declared with an empty desired value, applies.
  await applyAdmitted(cluster, [device]);
}, 300_000);

afterAll(async () => {
  await mapper?.close();
  await everything?.close();
  await agent?.stop();
  await cloud?.stop();
  await cluster.kubectl(["delete", "node", NODE, "--ignore-not-found"]);
});

describe("KubeEdge v1alpha2 mapper contract with the real cloud and agent", () => {
  it("puts the device in the profile by name, every twin listed, no invented cycles", async () => {
    const p = await eventually("the node's profile", async () => {
      const doc = await profile().catch(() => undefined);
      return doc?.deviceInstances.length === 1 ? doc : undefined;
    });
    const inst = p.deviceInstances[0]!;
    expect(inst.id).toBe(ID);
    expect(inst.name).toBe(NAME);
    expect(inst.twins).toEqual([
      { propertyName: "temperature", desired: { metadata: { type: "int" }, value: "" } },
      {
        propertyName: "temperature-enable",
        desired: { metadata: { type: "string" }, value: "ON" },
      },
    ]);
    for (const v of [...(inst.propertyVisitors ?? []), ...p.propertyVisitors]) {
      expect(Object.keys(v)).not.toContain("reportCycle");
      expect(Object.keys(v)).not.toContain("collectCycle");
    }
    expect(p.propertyVisitors.map(v => v.propertyName)).toEqual([
      "temperature",
      "temperature-enable",
    ]);
  });

  it("answers membership/get with the device under its name", async () => {
    let attempt = 0;
    await eventually(
      "the device in the membership list",
      async () => {
        const eventId = `m${++attempt}`;
        await mapper!.publish(nodeTopic(NODE, NodeTopicSuffix.MembershipGet), {
          event_id: eventId,
          timestamp: Date.now(),
        });
        const topic = nodeTopic(NODE, NodeTopicSuffix.MembershipGetResult);
        const r = await eventually("membership result", withEventId(topic, eventId), 10_000);
        const devices = r.payload.devices as { id: string; name: string }[];
        return devices.some(d => d.id === ID && d.name === NAME);
      },
      90_000,
      500,
    );
  });

  it("sends the desired value as a delta on the one-level topic, never the declaration", async () => {
    const delta = await eventually(
      "the first delta",
      async () => mapper!.last(deviceTopic(ID, DeviceTopicSuffix.TwinUpdateDelta))?.payload,
      60_000,
    );
    expect(delta.delta).toEqual({ "temperature-enable": "ON" });
  });

  it("answers twin/get on the one-level topic: desired ON, the read-only twin declared", async () => {
    await mapper!.publish(deviceTopic(ID, DeviceTopicSuffix.TwinGet), { event_id: "g1" });
    const r = await eventually(
      "twin/get result",
      withEventId(deviceTopic(ID, DeviceTopicSuffix.TwinGetResult), "g1"),
    );
    const twin = r.payload.twin as Record<
      string,
      { expected?: { value: string }; metadata?: { type: string } }
    >;
    expect(twin["temperature-enable"]?.expected?.value).toBe("ON");
    expect(twin.temperature?.metadata?.type).toBe("int");
    expect(twin.temperature?.expected).toBeUndefined();
  });

  it("takes a twin/update of the read-only property and shows it in kubectl get device", async () => {
    const now = Date.now();
    await mapper!.publish(deviceTopic(ID, DeviceTopicSuffix.TwinUpdate), {
      event_id: "u1",
      timestamp: now,
      twin: {
        temperature: { actual: { value: "21" }, metadata: { type: "int" } },
        "temperature-enable": { actual: { value: "ON" }, metadata: { type: "string" } },
      },
    });
    const result = await eventually(
      "twin/update result",
      withEventId(deviceTopic(ID, DeviceTopicSuffix.TwinUpdateResult), "u1"),
    );
    expect(result.payload.code).toBeUndefined();
    const d = await eventually(
      "reported values in the Device",
      async () => {
        const dev = await getDevice(cluster, NS, NAME);
        return reportedValue(dev, "temperature") === "21" &&
          reportedValue(dev, "temperature-enable") === "ON"
          ? dev
          : undefined;
      },
      60_000,
    );
    const declared = d.status?.twins?.find(t => t.propertyName === "temperature");
    expect(declared?.desired).toEqual({ metadata: { type: "int" }, value: "" });
  });

  it("delivers a kubectl patch of a desired value as a delta on the one-level topic", async () => {
    const twins = [
      { propertyName: "temperature", desired: { metadata: { type: "int" }, value: "" } },
      {
        propertyName: "temperature-enable",
        desired: { metadata: { type: "string" }, value: "OFF" },
      },
    ];
    await kubectlOk(cluster, [
      "patch",
      "device",
      NAME,
      "-n",
      NS,
      "--type",
      "merge",
      "-p",
      JSON.stringify({ status: { twins } }),
    ]);
    const delta = await eventually(
      "delta OFF",
      async () => {
        const d = mapper!.last(deviceTopic(ID, DeviceTopicSuffix.TwinUpdateDelta))?.payload;
        const values = d?.delta as Record<string, string> | undefined;
        return values?.["temperature-enable"] === "OFF" ? values : undefined;
      },
      60_000,
      20,
    );
    expect(delta).toEqual({ "temperature-enable": "OFF" });
  });

  it("takes a state update, answers it and shows the state in kubectl get device", async () => {
    await mapper!.publish(deviceTopic(ID, DeviceTopicSuffix.StateUpdate), {
      event_id: "s1",
      timestamp: Date.now(),
      state: "online",
    });
    const r = await eventually(
      "state/update result",
      withEventId(deviceTopic(ID, DeviceTopicSuffix.StateUpdateResult), "s1"),
    );
    expect(r.payload.device).toMatchObject({ name: NAME, state: "online" });
    await eventually(
      "state online in the Device",
      async () => (await getDevice(cluster, NS, NAME)).status?.state === "online",
      60_000,
    );
  });

  it("turns an upload into an Event on the Device", async () => {
    await mapper!.publish(`${UPLOAD_PREFIX}${ID}/events`, {
      event_id: "up1",
      data: "door opened",
    });
    await eventually(
      "the upload Event",
      async () => {
        const out = await kubectlOk(cluster, [
          "get",
          "events",
          "-n",
          NS,
          "--field-selector",
          `involvedObject.name=${NAME}`,
          "-o",
          "json",
        ]);
        const items = (JSON.parse(out) as { items: { message?: string }[] }).items;
        return items.some(e => e.message?.includes("door opened"));
      },
      60_000,
    );
  });

  it("answers a request in the two-level id form with an error naming the right topic", async () => {
    const other = `${NS}/${NAME}`;
    await mapper!.client.subscribeAsync(deviceTopic(other, DeviceTopicSuffix.TwinGetResult));
    await mapper!.publish(deviceTopic(other, DeviceTopicSuffix.TwinGet), { event_id: "g2" });
    const r = await eventually(
      "error result",
      withEventId(deviceTopic(other, DeviceTopicSuffix.TwinGetResult), "g2"),
    );
    expect(r.payload).toMatchObject({
      code: 400,
      reason: `device ${other} goes by id ${ID} here: use ${deviceTopic(ID, DeviceTopicSuffix.TwinGet)}`,
    });
  });

  it("published everything about the device under its one-level id", async () => {
    const fromAgent = everything!.messages
      .map(m => parseDeviceTopic(m.topic))
      .filter(t => t !== undefined)
      .filter(t => !t.suffix.endsWith("/update") && !t.suffix.endsWith("/get"));
    expect(fromAgent.length).toBeGreaterThan(0);
    // The one two-level topic is the error answer to the test's own two-level request.
    const twoLevel = fromAgent.filter(t => t.namespace !== undefined);
    expect(twoLevel.map(t => `${t.deviceId}${t.suffix}`)).toEqual([
      `${NS}/${NAME}${DeviceTopicSuffix.TwinGetResult}`,
    ]);
  });
});
