import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeviceTopicSuffix, deviceTopic } from "@kubeedge-ts/contract";
import {
  freePort,
  startMosquitto,
  type Broker,
  MqttRecorder,
  eventually,
} from "@kubeedge-ts/testkit";
import { createLogger } from "./logger.js";
import { TwinClient } from "./twin-client.js";

describe("TwinClient against mosquitto", () => {
  let broker: Broker;
  let twin: TwinClient;
  let peer: MqttRecorder;

  beforeAll(async () => {
    broker = await startMosquitto();
    twin = await TwinClient.connect({ url: broker.url, log: createLogger("test", "silent") });
    peer = await MqttRecorder.start(broker.url, ["$hw/events/device/#"]);
  });
  afterAll(async () => {
    await twin?.close();
    await peer?.close();
    await broker?.stop();
  });

  it.each(["thermo", "default/thermo"])(
    "publishes actual values, state and twin/get for id %s",
    async id => {
      await twin.publishActual(id, { temperature: { value: "25", type: "int", timestamp: 1 } });
      await twin.publishState(id, "unhealthy", "illegal data address");
      await twin.requestTwin(id);
      const update = await eventually("twin/update", () =>
        peer.last(deviceTopic(id, DeviceTopicSuffix.TwinUpdate)),
      );
      expect(update.payload.twin).toEqual({
        temperature: {
          actual: { value: "25", metadata: { timestamp: 1 } },
          metadata: { type: "int" },
        },
      });
      const state = await eventually("state", () =>
        peer.last(deviceTopic(id, DeviceTopicSuffix.StateUpdate)),
      );
      expect(state.payload).toMatchObject({ state: "unhealthy", reason: "illegal data address" });
      await eventually("twin/get", () => peer.last(deviceTopic(id, DeviceTopicSuffix.TwinGet)));
    },
  );

  it("hands deltas and twin/get results to the desired handler for both id forms", async () => {
    const got: [string, Record<string, string>, string][] = [];
    twin.onDesired((id, desired, source) => got.push([id, desired, source]));
    await peer.publish(deviceTopic("ns/dev", DeviceTopicSuffix.TwinUpdateDelta), {
      event_id: "",
      timestamp: 0,
      twin: {},
      delta: { temperature: "30" },
    });
    await peer.publish(deviceTopic("dev", DeviceTopicSuffix.TwinGetResult), {
      event_id: "",
      timestamp: 0,
      twin: { temperature: { expected: { value: "31" } } },
    });
    await peer.client.publishAsync(
      deviceTopic("dev", DeviceTopicSuffix.TwinUpdateDelta),
      "not json",
    );
    await eventually("two desired messages", () => got.length >= 2);
    expect(got).toEqual([
      ["ns/dev", { temperature: "30" }, "delta"],
      ["dev", { temperature: "31" }, "get"],
    ]);
  });
});

describe("TwinClient when the broker comes and goes", () => {
  it("starts without a broker, then subscribes and resubscribes after a broker restart", async () => {
    const port = await freePort();
    const log = createLogger("test", "silent");
    const twin = await TwinClient.connect({ url: `mqtt://127.0.0.1:${port}`, log, waitMs: 200 });
    let broker = await startMosquitto({ port });
    let peer: MqttRecorder | undefined;
    try {
      const got: string[] = [];
      let connects = 0;
      twin.onConnect(() => connects++);
      twin.onDesired((_id, desired) => got.push(desired.t));
      await eventually("first connect", () => connects === 1);
      peer = await MqttRecorder.start(broker.url, []);
      await peer.publish(deviceTopic("d", DeviceTopicSuffix.TwinUpdateDelta), {
        delta: { t: "1" },
      });
      await eventually("delta 1", () => got.includes("1"));
      expect(await twin.publishState("d", "online")).toBe(true);
      await peer.close();
      await broker.stop();
      await eventually("disconnected", () => !twin.connected);
      expect(await twin.publishState("d", "online")).toBe(false);
      broker = await startMosquitto({ port });
      await eventually("second connect", () => connects === 2);
      peer = await MqttRecorder.start(broker.url, []);
      await peer.publish(deviceTopic("d", DeviceTopicSuffix.TwinUpdateDelta), {
        delta: { t: "2" },
      });
      await eventually("delta 2", () => got.includes("2"));
    } finally {
      await twin.close();
      await peer?.close();
      await broker.stop();
    }
  });
});
