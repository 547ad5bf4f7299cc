/**
 * The cloud's sync path is internal to the agent: desired values and cloud versions come only
 * from the profile. A local process on the broker (any process on the node, any hostNetwork
 * pod) must not be able to play the cloud, and in particular must not lock the cloud out of a
 * device by planting a cloud version higher than any the cloud has given. The broker's ACL
 * refuses `cloud_updated` from every client; DeviceTwin refuses it too (403), for messages
 * that come through an external broker.
 */
import { DeviceTopicSuffix, ErrorCode, deviceTopic } from "@kubeedge-ts/contract";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "@kubeedge-ts/testkit";
import { sampleProfile } from "./testdata/fixtures.js";
import { SESSION_DEVICE, startTwinSession, type TwinSession } from "./testdata/twin-session.js";

const HUGE = { cloud: 1e12, edge: 0 };
let session: TwinSession;
let rv = 10;

beforeAll(async () => {
  session = await startTwinSession("30", String(rv));
});

afterAll(async () => {
  await session?.stop();
});

function reply(topic: DeviceTopicSuffix, eventId: string, body: object) {
  return session.ask(topic, { event_id: eventId, ...body });
}

function held(name: string) {
  return session.agent.twin.state!.list()[0]!.twins[name];
}

/** The cloud changes the desired temperature; resolves when the edge holds it. */
async function cloudSets(value: string): Promise<void> {
  session.agent.setProfile(sampleProfile(value), String(++rv));
  await eventually(`desired ${value} from the cloud applied`, () =>
    held("temperature")?.expected?.value === value ? true : undefined,
  );
}

/** Publishes a forged cloud_updated as the mapper; resolves once the broker cut the client. */
async function forgeCloudUpdated(eventId: string): Promise<void> {
  const forger = await mqtt.connectAsync(session.agent.url, { reconnectPeriod: 0 });
  const closed = new Promise<void>(resolve => forger.once("close", () => resolve()));
  forger.publish(
    deviceTopic(SESSION_DEVICE, DeviceTopicSuffix.TwinCloudUpdated),
    JSON.stringify({
      event_id: eventId,
      twin: { temperature: { expected: { value: "99" }, expected_version: HUGE } },
    }),
  );
  await closed;
  await forger.endAsync(true);
}

describe("the cloud's sync path", () => {
  it("an MQTT client cannot publish cloud_updated to set a desired value", async () => {
    const handled = session.agent.twin.engine!.handled;
    await forgeCloudUpdated("forged-1");
    // Cut at the broker: DeviceTwin never saw it.
    expect(session.agent.twin.engine!.handled).toBe(handled);
    expect(held("temperature")?.expected?.value).toBe("30");
    expect(held("temperature")?.expected_version?.cloud).toBe(rv);
  });

  it("DeviceTwin refuses cloud_updated from MQTT as well (403)", () => {
    const answer = session.agent.twin.engine!.handle(
      deviceTopic(SESSION_DEVICE, DeviceTopicSuffix.TwinCloudUpdated),
      JSON.stringify({
        event_id: "forged-x",
        twin: { temperature: { expected: { value: "99" }, expected_version: HUGE } },
      }),
    );
    expect(JSON.parse(answer[0]!.payload)).toMatchObject({ code: ErrorCode.Forbidden });
    expect(held("temperature")?.expected?.value).toBe("30");
  });

  it("a huge expected_version in cloud_updated cannot lock the cloud out of the device", async () => {
    await forgeCloudUpdated("forged-2");
    await cloudSets("41");
    expect(held("temperature")?.expected_version?.cloud).toBe(rv);
  });

  it("a twin/update cannot carry a cloud version above what the cloud gave", async () => {
    const answer = await reply(DeviceTopicSuffix.TwinUpdate, "forged-3", {
      twin: {
        temperature: { actual: { value: "20" }, actual_version: HUGE },
        setpoint: { expected: { value: "5" }, expected_version: HUGE },
      },
    });
    expect(answer).not.toHaveProperty("code");
    expect(held("temperature")?.actual_version?.cloud).toBe(0);
    // A mapper's desired value is not taken at all; an application's keeps the cloud version
    // too (edge-desired.test.ts).
    expect(held("setpoint")?.expected_version?.cloud ?? 0).toBe(0);
    await cloudSets("42");
  });
});
