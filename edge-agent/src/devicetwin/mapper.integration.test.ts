/**
 * A scripted mapper (mqtt.js) against a real agent, on the embedded aedes broker and on Debian's
 * mosquitto: every topic, every reply compared with golden JSON (the same file for both
 * brokers), bad input answered with the right error code and nothing stored.
 * UPDATE_GOLDEN=1 rewrites the golden file. On the embedded broker the mapper logs in as the
 * node's mapper: steps its ACL refuses (another node's device, `cloud_updated`) never reach
 * DeviceTwin there (the broker cuts the client: `eventbus/mqtt-acl.test.ts`), so they run on
 * mosquitto only, where DeviceTwin's own answer (404, 403) is what a mapper sees.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEVICE_PREFIX, NODE_PREFIX, NodeTopicSuffix, nodeTopic } from "@kubeedge-ts/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MqttRecorder, startMosquitto, eventually, type Broker } from "@kubeedge-ts/testkit";
import type { DeviceStatusReport } from "../store/device-status.js";
import { OutboxKind } from "../store/outbox.js";
import { MAPPER_IDENTITY, checkPublish } from "../eventbus/acl.js";
import { memberLookup } from "../eventbus/members.js";
import { sampleProfile } from "./testdata/fixtures.js";
import { startTestAgent, type TestAgent } from "./testdata/agent.js";
import { badSteps, happySteps, normalize, type Step } from "./testdata/session.js";

const GOLDEN = join(import.meta.dirname, "testdata", "golden", "mapper-session.json");
const REPLY_SUFFIXES = [
  "twin/update/result",
  "twin/update/delta",
  "twin/update/document",
  "twin/get/result",
  "twin/cloud_updated",
  "state/update/result",
  "updated",
];
const SUBSCRIPTIONS = [
  ...REPLY_SUFFIXES.flatMap(s => [`${DEVICE_PREFIX}+/${s}`, `${DEVICE_PREFIX}+/+/${s}`]),
  `${NODE_PREFIX}+/membership/get/result`,
  `${NODE_PREFIX}+/membership/updated`,
  `${NODE_PREFIX}+/membership/detail`,
];

type Replies = { topic: string; payload: unknown }[];

/** Compares with the golden entry; UPDATE_GOLDEN=1 (on the embedded broker) rewrites it. */
function checkGolden(file: string, name: string, replies: Replies, mayUpdate: boolean): void {
  const golden = existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, Replies>)
    : {};
  if (process.env.UPDATE_GOLDEN && mayUpdate) {
    golden[name] = replies;
    writeFileSync(file, JSON.stringify(golden, null, 2) + "\n");
  }
  expect({ [name]: replies }).toEqual({ [name]: golden[name] });
}

/**
 * Runs one step and returns its replies. A membership get with a marker event id follows every
 * step: the agent handles messages in order, so everything before the marker's answer belongs
 * to the step — no sleeping, no guessing how many replies to wait for.
 */
async function runStep(
  t: TestAgent,
  mapper: MqttRecorder,
  step: Step,
  n: number,
): Promise<Replies> {
  const from = mapper.messages.length;
  if (step.profile) t.setProfile(step.profile.profile, step.profile.resourceVersion);
  if (step.topic) {
    const body = typeof step.payload === "string" ? step.payload : JSON.stringify(step.payload);
    await mapper.client.publishAsync(step.topic, body, { qos: 1 });
  }
  const marker = `marker-${n}`;
  // A profile is applied on the next turn of the event loop: let it land before the marker.
  if (step.profile) await eventually("profile applied", () => t.twin.state!.declared.size > 0);
  await mapper.publish(nodeTopic(t.nodeName, NodeTopicSuffix.MembershipGet), { event_id: marker });
  await eventually(`${step.name} answered`, () =>
    mapper.messages.slice(from).some(m => m.payload.event_id === marker),
  );
  return (
    mapper.messages
      .slice(from)
      .filter(m => m.payload.event_id !== marker)
      // The mapper hears its own cloud_updated request (it subscribes to the topic too).
      .filter(
        m =>
          !(m.topic === step.topic && JSON.stringify(m.payload) === JSON.stringify(step.payload)),
      )
      .map(m => ({ topic: m.topic, payload: normalize(m.payload) }))
  );
}

const brokers = [
  { name: "embedded aedes broker", external: false },
  { name: "mosquitto (external mode)", external: true },
];

describe.each(brokers)("DeviceTwin over the $name", ({ external }) => {
  let broker: Broker | undefined;
  let t: TestAgent;
  let mapper: MqttRecorder;
  const session: Record<string, Replies> = {};

  beforeAll(async () => {
    broker = external ? await startMosquitto() : undefined;
    t = await startTestAgent({
      mode: external ? "external" : "internal",
      externalUrl: broker?.url,
      twin: { reporter: { defaultCycleMs: 50, minCycleMs: 10 } },
    });
    t.setProfile(sampleProfile("30"), "100");
    await eventually("first profile applied", () => t.twin.state!.size === 1);
    mapper = await MqttRecorder.start(t.url, SUBSCRIPTIONS);
  });

  afterAll(async () => {
    await mapper?.close();
    await t?.stop();
    await broker?.stop();
  });

  /** Whether the embedded broker lets the mapper publish this step (always on mosquitto). */
  const passes = (step: Step): boolean =>
    external ||
    !step.topic ||
    checkPublish(MAPPER_IDENTITY, step.topic, memberLookup(t.agent.db, t.nodeName)) === undefined;

  it("answers every topic as the golden session says", async () => {
    const steps = happySteps(t.nodeName).filter(passes);
    for (const [i, step] of steps.entries()) session[step.name] = await runStep(t, mapper, step, i);
    for (const step of steps) checkGolden(GOLDEN, step.name, session[step.name]!, !external);
  });

  it("turns the upload message into an Event on the device", async () => {
    const events = await eventually("upload event queued", () => {
      const e = t.agent.outbox.peek(1000).filter(x => x.kind === OutboxKind.Event);
      return e.length > 0 && e;
    });
    expect(events[0]!.payload).toMatchObject({
      reason: "DeviceUpload",
      involvedObject: { kind: "Device", namespace: "default", name: "thermo" },
    });
  });

  it("queues the reported value and state for the Device status, last value wins", async () => {
    const report = await eventually("status report", () => {
      const r = t.agent.outbox
        .peek(1000)
        .filter(x => x.kind === OutboxKind.DeviceStatus && x.key === "default/thermo")
        .map(x => x.payload as DeviceStatusReport)
        .at(-1);
      return r?.status.state === "offline" && r;
    });
    // Everything before the first write was merged; the last write carries the last values.
    const all = t.agent.outbox.peek(1000).filter(x => x.key === "default/thermo");
    const reported = all.flatMap(x => (x.payload as DeviceStatusReport).status.twins ?? []);
    expect(reported.filter(r => r.propertyName === "temperature").at(-1)).toEqual({
      propertyName: "temperature",
      reported: { value: "30", metadata: { timestamp: "1700000000200", type: "int" } },
    });
    // Each write carries every declared twin with a value, not only the one that changed.
    expect(report.status.twins?.map(r => r.propertyName).sort()).toEqual(["power", "temperature"]);
    expect(reported.some(r => r.propertyName === "humidity")).toBe(false);
    expect(report.status.lastOnlineTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it.each(badSteps("edge-1").map((s, i) => ({ ...s, i })))(
    "answers $name with an error result and stores nothing",
    async step => {
      if (!passes(step)) return; // refused by the embedded broker's ACL, see above
      const before = t.twin.state!.tables.loadAll();
      const replies = await runStep(t, mapper, step, 1000 + step.i);
      expect(replies).toHaveLength(1);
      checkGolden(GOLDEN.replace("session", "errors"), step.name, replies, !external);
      expect(t.twin.state!.tables.loadAll()).toEqual(before);
      expect(t.twin.state!.list()).toEqual(before);
    },
  );
});
