/**
 * EventBus modes against real brokers: `both` serves mappers on the embedded broker and on
 * mosquitto at once, replies reaching both; the embedded broker enforces its credentials.
 */
import { DEVICE_PREFIX, DeviceTopicSuffix, deviceTopic } from "@kubeedge-ts/contract";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MqttRecorder, startMosquitto, eventually, type Broker } from "@kubeedge-ts/testkit";
import { sampleProfile } from "../devicetwin/testdata/fixtures.js";
import { startTestAgent, type TestAgent } from "../devicetwin/testdata/agent.js";

const RESULT = `${DEVICE_PREFIX}+${DeviceTopicSuffix.TwinGetResult}`;

describe("EventBus in mode both", () => {
  let broker: Broker;
  let t: TestAgent;
  let onInternal: MqttRecorder;
  let onExternal: MqttRecorder;

  beforeAll(async () => {
    broker = await startMosquitto();
    t = await startTestAgent({ mode: "both", externalUrl: broker.url });
    t.setProfile(sampleProfile(), "1");
    await eventually("profile applied", () => t.twin.state!.size === 1);
    onInternal = await MqttRecorder.start(t.url, [RESULT]);
    onExternal = await MqttRecorder.start(broker.url, [RESULT]);
  });

  afterAll(async () => {
    await onInternal?.close();
    await onExternal?.close();
    await t?.stop();
    await broker?.stop();
  });

  it("answers a request from either broker on both", async () => {
    await onInternal.publish(deviceTopic("thermo", DeviceTopicSuffix.TwinGet), {
      event_id: "from-internal",
    });
    await onExternal.publish(deviceTopic("thermo", DeviceTopicSuffix.TwinGet), {
      event_id: "from-external",
    });
    for (const r of [onInternal, onExternal]) {
      await eventually("both answers on this broker", () => {
        const ids = r.messages.map(m => m.payload.event_id);
        return ids.includes("from-internal") && ids.includes("from-external");
      });
    }
  });
});

describe("embedded broker credentials", () => {
  let t: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent({
      configure: c =>
        Object.assign(c.modules.eventBus, { mqttUsername: "edge", mqttPassword: "s3cret" }),
    });
  });
  afterAll(async () => t?.stop());

  it("refuses a wrong password and accepts the right one", async () => {
    const url = `mqtt://127.0.0.1:${t.eventbus.internal!.port}`;
    await expect(
      mqtt.connectAsync(url, { username: "edge", password: "nope", reconnectPeriod: 0 }),
    ).rejects.toThrow();
    const ok = await mqtt.connectAsync(url, {
      username: "edge",
      password: "s3cret",
      reconnectPeriod: 0,
    });
    await ok.endAsync();
  });
});
