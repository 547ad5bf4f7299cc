/**
 * A desired value set at the edge by an application granted the device, and the cloud's desired
 * value for the same twin: the edge's holds until the cloud's changes, then the cloud's wins.
 * Real agent (embedded broker, SQLite file), restarted on the same data directory.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeviceTopicSuffix, deviceTopic } from "@kubeedge-ts/contract";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "@kubeedge-ts/testkit";
import { sampleProfile } from "./testdata/fixtures.js";
import { startTestAgent, type TestAgent } from "./testdata/agent.js";

const DEVICE = "default/thermo";
let dir: string;
let t: TestAgent;

async function start(): Promise<TestAgent> {
  const agent = await startTestAgent({
    dir,
    configure: c => (c.modules.eventBus.applications = [{ name: "ctl", writes: ["thermo"] }]),
  });
  return agent;
}

function temperature(agent: TestAgent) {
  return agent.twin.state!.get(DEVICE)?.twins.temperature;
}

/** The application sets the desired temperature over MQTT; resolves once it is answered. */
async function edgeSets(value: string): Promise<void> {
  const app = await mqtt.connectAsync(t.brokerUrl(t.credentials().applications.ctl), {
    reconnectPeriod: 0,
  });
  await app.subscribeAsync(deviceTopic("thermo", DeviceTopicSuffix.TwinUpdateResult));
  const answered = new Promise(resolve => app.once("message", resolve));
  await app.publishAsync(
    deviceTopic("thermo", DeviceTopicSuffix.TwinUpdate),
    JSON.stringify({ event_id: `edge-${value}`, twin: { temperature: { expected: { value } } } }),
  );
  await answered;
  await app.endAsync();
}

async function cloudSends(desired: string, rv: string): Promise<void> {
  const applied = new Promise<void>(resolve => (t.twin.onProfileApplied = () => resolve()));
  t.setProfile(sampleProfile(desired), rv);
  await applied;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "edge-desired-"));
  t = await start();
  await cloudSends("30", "1");
});

afterAll(async () => {
  await t?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("edge-set and cloud-set desired values", () => {
  it("an application's desired value is an edge change: edge version +1, cloud version kept", async () => {
    await edgeSets("45");
    expect(temperature(t)?.expected?.value).toBe("45");
    expect(temperature(t)?.expected_version).toEqual({ cloud: 1, edge: 1 });
  });

  it("the profile sent again with the same desired value does not undo it", async () => {
    await cloudSends("30", "2");
    expect(temperature(t)?.expected?.value).toBe("45");
  });

  it("nor does an agent restart (the profile is restored from the cache)", async () => {
    await t.stop();
    t = await start();
    t.setProfile(sampleProfile("30"), "2");
    await eventually("device restored", () => temperature(t));
    // Give the restored profile its apply, then look.
    await cloudSends("30", "3");
    expect(temperature(t)?.expected?.value).toBe("45");
  });

  it("the cloud changing its desired value wins over the edge's", async () => {
    await cloudSends("31", "4");
    expect(temperature(t)?.expected?.value).toBe("31");
    expect(temperature(t)?.expected_version).toEqual({ cloud: 4, edge: 1 });
  });

  it("and the edge may set it again afterwards", async () => {
    await edgeSets("50");
    expect(temperature(t)?.expected?.value).toBe("50");
    expect(temperature(t)?.expected_version).toEqual({ cloud: 4, edge: 2 });
  });
});
