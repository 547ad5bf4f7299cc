import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeviceTopicSuffix, deviceTopic } from "@kubeedge-ts/contract";
import { startMosquitto, type Broker } from "../test-support/mosquitto.js";
import { MqttRecorder } from "../test-support/mqtt-recorder.js";
import { waitFor } from "../test-support/wait-for.js";
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
      const update = await waitFor("twin/update", () =>
        peer.last(deviceTopic(id, DeviceTopicSuffix.TwinUpdate)),
      );
      expect(update.payload.twin).toEqual({
        temperature: {
          actual: { value: "25", metadata: { timestamp: 1 } },
          metadata: { type: "int" },
        },
      });
      const state = await waitFor("state", () =>
        peer.last(deviceTopic(id, DeviceTopicSuffix.StateUpdate)),
      );
      expect(state.payload).toMatchObject({ state: "unhealthy", reason: "illegal data address" });
      await waitFor("twin/get", () => peer.last(deviceTopic(id, DeviceTopicSuffix.TwinGet)));
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
    await waitFor("two desired messages", () => got.length >= 2);
    expect(got).toEqual([
      ["ns/dev", { temperature: "30" }, "delta"],
      ["dev", { temperature: "31" }, "get"],
    ]);
  });
});
