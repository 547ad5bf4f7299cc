/**
 * Who may do what on the embedded broker, each attack played by a real MQTT client against a
 * real agent (aedes, SQLite): credentials on by default, the mapper and application ACLs, and
 * desired values set at the edge only by an application granted the device.
 */
import { DeviceTopicSuffix, deviceTopic, type DeviceProfile } from "@kubeedge-ts/contract";
import { statSync } from "node:fs";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "@kubeedge-ts/testkit";
import { sampleProfile } from "../devicetwin/testdata/fixtures.js";
import { startTestAgent, type TestAgent } from "../devicetwin/testdata/agent.js";
import { credentialsPath } from "./credentials.js";

/** The sample thermometer plus a valve on the same node. */
function profileWithValve(): DeviceProfile {
  const p = sampleProfile("30");
  const valve = structuredClone(p.deviceInstances[0]!);
  valve.id = valve.name = "valve";
  valve.twins = [
    { propertyName: "temperature", desired: { value: "10", metadata: { type: "int" } } },
  ];
  p.deviceInstances.push(valve);
  return p;
}

function refused(t: TestAgent, reason: string): number {
  const line = t.agent.metrics
    .render()
    .split("\n")
    .find(l => l.startsWith(`kubeedge_edge_mqtt_refused_total{reason="${reason}"}`));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

function desired(t: TestAgent, id: string): string | undefined {
  return t.twin.state!.get(id)?.twins.temperature?.expected?.value;
}

/** Publishes and resolves once the broker cut the connection (how MQTT 3.1.1 says no). */
async function publishIsCut(client: MqttClient, topic: string, body: unknown): Promise<void> {
  const closed = new Promise<void>(resolve => client.once("close", () => resolve()));
  client.publish(topic, typeof body === "string" ? body : JSON.stringify(body), { qos: 1 });
  await closed;
  await client.endAsync(true);
}

/** The SUBACK return codes (mqtt.js rejects when one is 0x80; the packet still says which). */
async function grants(client: MqttClient, topics: string[]): Promise<number[]> {
  try {
    return (await client.subscribeAsync(topics)).map(g => g.qos);
  } catch (error) {
    const granted = (error as { packet?: { granted?: number[] } }).packet?.granted;
    if (!granted) throw error;
    return granted;
  }
}

const connect = (url: string): Promise<MqttClient> =>
  mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5_000 });

const setTemperature = (value: string) => ({
  event_id: `set-${value}`,
  twin: { temperature: { expected: { value } } },
});

describe("the embedded broker's access control", () => {
  let t: TestAgent;

  beforeAll(async () => {
    t = await startTestAgent({
      configure: c => {
        c.modules.eventBus.applications = [
          { name: "valve-controller", writes: ["valve"] },
          { name: "dashboard", writes: [] },
        ];
        c.modules.eventBus.maxPayloadBytes = 4096;
        c.modules.eventBus.maxPacketBytes = 8192;
        c.modules.eventBus.maxTopicLength = 200;
      },
    });
    t.setProfile(profileWithValve(), "1");
    await eventually("profile applied", () => t.twin.state!.size === 2);
  });

  afterAll(async () => t?.stop());

  it("an anonymous MQTT client cannot connect, so it cannot set a desired value", async () => {
    const before = refused(t, "auth");
    await expect(connect(t.brokerUrl())).rejects.toThrow(/Not authorized/i);
    await expect(
      connect(t.brokerUrl({ username: "mapper", password: "guessed" })),
    ).rejects.toThrow();
    expect(refused(t, "auth")).toBe(before + 2);
  });

  it("the credentials file is generated 0600 and kept", () => {
    const first = t.credentials();
    expect(first.mapper.password).toMatch(/^[\w-]{43}$/);
    expect(t.credentials()).toEqual(first);
    expect(statSync(credentialsPath(t.dir)).mode & 0o777).toBe(0o600);
  });

  it("a mapper's expected value is ignored: a mapper cannot set a desired value", async () => {
    const mapper = await connect(t.url);
    await mapper.subscribeAsync(deviceTopic("valve", DeviceTopicSuffix.TwinUpdateResult));
    const answered = new Promise(resolve => mapper.once("message", resolve));
    await mapper.publishAsync(
      deviceTopic("valve", DeviceTopicSuffix.TwinUpdate),
      JSON.stringify(setTemperature("99")),
    );
    await answered;
    expect(desired(t, "default/valve")).toBe("10");
    await mapper.endAsync();
  });

  it("a mapper identity cannot publish another node's device", async () => {
    const before = refused(t, "publish-acl");
    const mapper = await connect(t.url);
    await publishIsCut(mapper, deviceTopic("other-node-pump", DeviceTopicSuffix.StateUpdate), {
      event_id: "x",
      state: "online",
    });
    expect(refused(t, "publish-acl")).toBe(before + 1);
  });

  it("a mapper cannot fake a delta or a cloud notice to steer a device", async () => {
    for (const suffix of [DeviceTopicSuffix.TwinUpdateDelta, DeviceTopicSuffix.TwinCloudUpdated]) {
      const mapper = await connect(t.url);
      await publishIsCut(mapper, deviceTopic("valve", suffix), { delta: { temperature: "99" } });
    }
    expect(desired(t, "default/valve")).toBe("10");
  });

  it("a mapper cannot subscribe to # (or read what other mappers report)", async () => {
    const mapper = await connect(t.url);
    const granted = await grants(mapper, [
      "#",
      "$hw/events/#",
      deviceTopic("+", DeviceTopicSuffix.TwinUpdate),
      deviceTopic("+", DeviceTopicSuffix.TwinUpdateDelta),
    ]);
    expect(granted).toEqual([128, 128, 128, 0]);
    await mapper.endAsync();
  });

  it("an application without a grant cannot write the valve", async () => {
    const app = await connect(t.brokerUrl(t.credentials().applications.dashboard));
    // It may read the valve's traffic...
    const granted = await app.subscribeAsync(deviceTopic("valve", DeviceTopicSuffix.TwinUpdate));
    expect(granted[0]!.qos).toBe(0);
    // ...but not write it.
    await publishIsCut(
      app,
      deviceTopic("valve", DeviceTopicSuffix.TwinUpdate),
      setTemperature("77"),
    );
    expect(desired(t, "default/valve")).toBe("10");
  });

  it("an application granted the valve cannot write the thermometer", async () => {
    const app = await connect(t.brokerUrl(t.credentials().applications["valve-controller"]));
    await publishIsCut(
      app,
      deviceTopic("thermo", DeviceTopicSuffix.TwinUpdate),
      setTemperature("5"),
    );
    expect(desired(t, "default/thermo")).toBe("30");
  });

  it("an application granted the valve sets its desired value, versioned as an edge change", async () => {
    const app = await connect(t.brokerUrl(t.credentials().applications["valve-controller"]));
    await app.subscribeAsync(deviceTopic("valve", DeviceTopicSuffix.TwinUpdateDelta));
    const delta = new Promise<Buffer>(resolve => app.once("message", (_t, p) => resolve(p)));
    await app.publishAsync(
      deviceTopic("valve", DeviceTopicSuffix.TwinUpdate),
      JSON.stringify(setTemperature("55")),
    );
    expect(JSON.parse((await delta).toString())).toMatchObject({ delta: { temperature: "55" } });
    const twin = t.twin.state!.get("default/valve")!.twins.temperature!;
    expect(twin.expected?.value).toBe("55");
    expect(twin.expected_version).toEqual({ cloud: 1, edge: 1 });
    await app.endAsync();
  });

  it("an oversize payload is refused and counted", async () => {
    const before = refused(t, "oversize-payload");
    const mapper = await connect(t.url);
    await publishIsCut(
      mapper,
      deviceTopic("valve", DeviceTopicSuffix.TwinUpdate),
      "x".repeat(5000),
    );
    expect(refused(t, "oversize-payload")).toBe(before + 1);
  });

  it("a packet announcing more than maxPacketBytes is cut before it is buffered", async () => {
    const before = refused(t, "oversize-packet");
    const mapper = await connect(t.url);
    // 4 KiB of payload plus a long topic: over the packet limit as well as the payload limit.
    const topic = deviceTopic("valve", DeviceTopicSuffix.TwinUpdate);
    await publishIsCut(mapper, topic, "y".repeat(9000));
    expect(refused(t, "oversize-packet")).toBe(before + 1);
  });

  it("a topic longer than maxTopicLength is refused", async () => {
    const before = refused(t, "topic-length");
    const mapper = await connect(t.url);
    await publishIsCut(mapper, deviceTopic("v".repeat(250), DeviceTopicSuffix.TwinGet), "{}");
    expect(refused(t, "topic-length")).toBe(before + 1);
  });

  it("the mapper ACL follows profile changes", async () => {
    const p = profileWithValve();
    p.deviceInstances = p.deviceInstances.filter(d => d.id !== "valve");
    t.setProfile(p, "2");
    await eventually("valve left the node", () => t.twin.state!.size === 1);
    const mapper = await connect(t.url);
    await publishIsCut(mapper, deviceTopic("valve", DeviceTopicSuffix.StateUpdate), {
      event_id: "gone",
      state: "online",
    });
    t.setProfile(profileWithValve(), "3");
    await eventually("valve is back", () => t.twin.state!.size === 2);
    const again = await connect(t.url);
    await again.subscribeAsync(deviceTopic("valve", DeviceTopicSuffix.StateUpdateResult));
    const answered = new Promise(resolve => again.once("message", resolve));
    await again.publishAsync(
      deviceTopic("valve", DeviceTopicSuffix.StateUpdate),
      JSON.stringify({ event_id: "back", state: "online" }),
    );
    await answered;
    await again.endAsync();
  });
});

describe("allowAnonymous (KubeEdge's own mappers)", () => {
  let t: TestAgent;

  beforeAll(async () => {
    t = await startTestAgent({ configure: c => (c.modules.eventBus.allowAnonymous = true) });
    t.setProfile(sampleProfile("30"), "1");
    await eventually("profile applied", () => t.twin.state!.size === 1);
  });

  afterAll(async () => t?.stop());

  it("an anonymous client gets the mapper ACL: it reports, but cannot set desired or read #", async () => {
    const anon = await connect(t.brokerUrl());
    const granted = await grants(anon, ["#", deviceTopic("+", DeviceTopicSuffix.TwinUpdateResult)]);
    expect(granted).toEqual([128, 0]);
    const answered = new Promise(resolve => anon.once("message", resolve));
    await anon.publishAsync(
      deviceTopic("thermo", DeviceTopicSuffix.TwinUpdate),
      JSON.stringify({
        event_id: "anon",
        twin: { temperature: { actual: { value: "21" }, expected: { value: "99" } } },
      }),
    );
    await answered;
    const twin = t.twin.state!.get("default/thermo")!.twins.temperature!;
    expect(twin.actual?.value).toBe("21");
    expect(twin.expected?.value).toBe("30");
    await publishIsCut(anon, deviceTopic("thermo", DeviceTopicSuffix.TwinCloudUpdated), {});
  });
});
