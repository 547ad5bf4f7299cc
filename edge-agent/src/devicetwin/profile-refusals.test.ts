/**
 * A profile update the cloud admitted that DeviceTwin cannot apply is visible: counted on the
 * agent's /metrics and reported once as a Warning Event on the Device through the outbox. Runs
 * a real agent core (SQLite, outbox, metrics endpoint) with DeviceTwin; no cloud.
 */
import { DEVICE_KIND, DEVICES_API_VERSION } from "@kubeedge-ts/contract";
import { eventually } from "@kubeedge-ts/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { OutboxKind } from "../store/outbox.js";
import {
  PROFILE_REFUSALS_METRIC,
  PROFILE_REFUSED_EVENT_REASON,
  PROFILE_UNAPPLIED_METRIC,
} from "./profile-refusals.js";
import { startTestAgent, type TestAgent } from "./testdata/agent.js";
import { sampleProfile } from "./testdata/fixtures.js";

let t: TestAgent | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

async function metric(agent: TestAgent, line: string): Promise<number | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${agent.agent.healthPort}/metrics`)).text();
  const found = text.split("\n").find(l => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

function refusalEvents(agent: TestAgent): unknown[] {
  return agent.agent.outbox
    .peek()
    .filter(e => e.kind === OutboxKind.Event)
    .map(e => e.payload);
}

function expectedOf(agent: TestAgent): string | undefined {
  return agent.twin.state!.get("default/thermo")?.twins.temperature?.expected?.value;
}

describe("a profile update DeviceTwin cannot apply", () => {
  it("is counted, raises one Warning Event on the Device, and clears once applied", async () => {
    t = await startTestAgent();
    t.setProfile(sampleProfile("30"), "7");
    await eventually("first profile applied", () => expectedOf(t!) === "30");

    // Not an int: our cloud refuses it at admission, another producer may not.
    t.setProfile(sampleProfile("warm"), "8");
    await eventually(
      "refusal counted",
      async () => (await metric(t!, PROFILE_UNAPPLIED_METRIC)) === 1,
    );
    expect(await metric(t, `${PROFILE_REFUSALS_METRIC}{code="400"}`)).toBe(1);
    expect(expectedOf(t)).toBe("30");
    expect(refusalEvents(t)).toEqual([
      {
        reason: PROFILE_REFUSED_EVENT_REASON,
        type: "Warning",
        message:
          "desired twins from the cloud not applied, the device keeps its last ones: " +
          "twin temperature: the value is not an int",
        involvedObject: {
          kind: DEVICE_KIND,
          apiVersion: DEVICES_API_VERSION,
          namespace: "default",
          name: "thermo",
        },
      },
    ]);

    // The same refusal again (any change to the namespace's profile re-applies every device).
    t.setProfile(sampleProfile("warm"), "9");
    await eventually(
      "second refusal counted",
      async () => (await metric(t!, `${PROFILE_REFUSALS_METRIC}{code="400"}`)) === 2,
    );
    expect(refusalEvents(t)).toHaveLength(1);

    t.setProfile(sampleProfile("31"), "10");
    await eventually("good profile applied", () => expectedOf(t!) === "31");
    expect(await metric(t, PROFILE_UNAPPLIED_METRIC)).toBe(0);
  });

  it("does not warn about an older profile arriving late", async () => {
    t = await startTestAgent();
    t.setProfile(sampleProfile("30"), "20");
    await eventually("profile applied", () => expectedOf(t!) === "30");
    t.setProfile(sampleProfile("29"), "19");
    await eventually(
      "late profile counted",
      async () => (await metric(t!, `${PROFILE_REFUSALS_METRIC}{code="409"}`)) === 1,
    );
    expect(expectedOf(t)).toBe("30");
    expect(await metric(t, PROFILE_UNAPPLIED_METRIC)).toBe(0);
    expect(refusalEvents(t)).toEqual([]);
  });
});
