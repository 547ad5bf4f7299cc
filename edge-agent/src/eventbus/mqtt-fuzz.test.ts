/**
 * 10,000 random MQTT packets on raw TCP connections against a real agent (embedded broker,
 * DeviceTwin, SQLite file): CONNECTs with good, wrong and missing credentials, PUBLISHes on
 * random and forbidden topics, oversize and malformed packets, lying length headers, random
 * SUBSCRIBE filters and plain garbage. Afterwards the agent answers a mapper, /healthz is ok,
 * SQLite's integrity check passes and the refusals were counted. Seeded, so a failure
 * reproduces.
 */
import { connect, type Socket } from "node:net";
import { DeviceTopicSuffix, NodeTopicSuffix, deviceTopic, nodeTopic } from "@kubeedge-ts/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MqttRecorder, eventually } from "@kubeedge-ts/testkit";
import { sampleProfile } from "../devicetwin/testdata/fixtures.js";
import { startTestAgent, type TestAgent } from "../devicetwin/testdata/agent.js";
import { fuzzPackets } from "./testdata/mqtt-fuzzer.js";

const PACKETS = 10_000;

/**
 * One connection: the first packet (a CONNECT, mostly), then — once the broker answered or
 * after a short wait — the rest, then a short wait for the broker to judge them. Resolves
 * when the connection is closed, by the broker or by us.
 */
function session(port: number, packets: Buffer[]): Promise<void> {
  return new Promise(resolve => {
    const socket: Socket = connect(port, "127.0.0.1");
    let rest: NodeJS.Timeout | undefined;
    const sendRest = (): void => {
      clearTimeout(rest);
      for (const p of packets.slice(1)) if (!socket.destroyed) socket.write(p);
      setTimeout(() => socket.destroy(), 20);
    };
    socket.on("error", () => undefined);
    socket.once("data", sendRest);
    socket.on("close", () => {
      clearTimeout(rest);
      resolve();
    });
    socket.on("connect", () => {
      socket.write(packets[0]!);
      rest = setTimeout(sendRest, 50);
    });
  });
}

describe("the embedded broker under 10,000 random packets", () => {
  let t: TestAgent;

  beforeAll(async () => {
    t = await startTestAgent({
      configure: c => {
        c.modules.eventBus.applications = [{ name: "app", writes: ["thermo"] }];
      },
    });
    t.setProfile(sampleProfile("30"), "1");
    await eventually("profile applied", () => t.twin.state!.size === 1);
  });

  afterAll(async () => t?.stop());

  it(`stays healthy and consistent after ${PACKETS} random packets`, async () => {
    const creds = t.credentials();
    const logins = [creds.mapper, creds.applications.app!];
    const batches = fuzzPackets(20261201, PACKETS, logins);
    const port = t.eventbus.internal!.port;
    // A few connections at a time: enough to overlap, not a connection storm.
    for (let i = 0; i < batches.length; i += 8) {
      await Promise.all(batches.slice(i, i + 8).map(b => session(port, b)));
    }

    const mapper = await MqttRecorder.start(t.url, [
      nodeTopic(t.nodeName, NodeTopicSuffix.MembershipGetResult),
      deviceTopic("thermo", DeviceTopicSuffix.TwinGetResult),
    ]);
    await mapper.publish(nodeTopic(t.nodeName, NodeTopicSuffix.MembershipGet), {
      event_id: "after-fuzz",
    });
    await mapper.publish(deviceTopic("thermo", DeviceTopicSuffix.TwinGet), { event_id: "get" });
    await eventually("the agent answers after fuzzing", () =>
      ["after-fuzz", "get"].every(id => mapper.messages.some(m => m.payload.event_id === id)),
    );
    await mapper.close();

    const health = await fetch(`http://127.0.0.1:${t.agent.healthPort}/healthz`);
    expect(health.status).toBe(200);
    const db = t.agent.db;
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(db.pragma("foreign_key_check")).toEqual([]);
    expect(t.twin.state!.tables.loadAll()).toEqual(t.twin.state!.list());
    const metrics = t.agent.metrics.render();
    for (const reason of ["auth", "publish-acl", "subscribe-acl", "oversize-packet"]) {
      expect(metrics).toMatch(
        new RegExp(`kubeedge_edge_mqtt_refused_total\\{reason="${reason}"\\} [1-9]`),
      );
    }
    // Nothing a fuzzer sent may have become a desired value outside the app's grant.
    const twins = t.twin.state!.get("default/thermo")!.twins;
    expect(twins.temperature?.metadata?.type).toBe("int");
    expect(twins.temperature?.optional).toBe(false);
  }, 90_000);
});
