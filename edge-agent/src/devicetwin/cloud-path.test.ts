/**
 * The cloud's sync path is internal to the agent: desired values and cloud versions come only
 * from the profile. A local process on the broker (any process on the node, any hostNetwork
 * pod) must not be able to play the cloud, and in particular must not lock the cloud out of a
 * device by planting a cloud version higher than any the cloud has given.
 */
import { DeviceTopicSuffix, ErrorCode } from "@kubeedge-ts/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "@kubeedge-ts/testkit";
import { sampleProfile } from "./testdata/fixtures.js";
import { startTwinSession, type TwinSession } from "./testdata/twin-session.js";

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

describe("the cloud's sync path", () => {
  it("an MQTT client cannot publish cloud_updated to set a desired value", async () => {
    const answer = await reply(DeviceTopicSuffix.TwinCloudUpdated, "forged-1", {
      twin: { temperature: { expected: { value: "99" }, expected_version: HUGE } },
    });
    expect(answer).toMatchObject({ code: ErrorCode.Forbidden });
    expect(held("temperature")?.expected?.value).toBe("30");
    expect(held("temperature")?.expected_version?.cloud).toBe(rv);
  });

  it("a huge expected_version in cloud_updated cannot lock the cloud out of the device", async () => {
    await reply(DeviceTopicSuffix.TwinCloudUpdated, "forged-2", {
      twin: { temperature: { expected: { value: "99" }, expected_version: HUGE } },
    });
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
    expect(held("setpoint")?.expected_version?.cloud).toBe(0);
    await cloudSets("42");
  });
});
