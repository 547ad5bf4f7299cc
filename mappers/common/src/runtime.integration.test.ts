import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeviceTopicSuffix, deviceTopic, type DeviceProfile } from "@kubeedge-ts/contract";
import {
  freePort,
  startMosquitto,
  type Broker,
  MqttRecorder,
  eventually,
} from "@kubeedge-ts/testkit";
import type { TypedValue } from "./convert.js";
import type { Failure, PollingProtocol, TwinPort } from "./driver.js";
import { createMapperMetrics } from "./metrics.js";
import { createLogger } from "./logger.js";
import { pollingDriver } from "./polling-driver.js";
import { MapperRuntime } from "./runtime.js";
import { TwinClient } from "./twin-client.js";

/** An in-memory "device": a register map plus switches to make it fail. */
class MemoryDevice {
  values = new Map<string, TypedValue>();
  fail?: Failure;
}

const devices = new Map<string, MemoryDevice>();
const memory: PollingProtocol<{ key: string }> = {
  protocol: "memory",
  schemas: {
    visitorConfig: { type: "object", required: ["key"], properties: { key: { type: "string" } } },
  },
  open: device => {
    const mem = devices.get(device.id) ?? new MemoryDevice();
    devices.set(device.id, mem);
    const guard = (): void => {
      if (mem.fail) throw Object.assign(new Error(mem.fail.reason), { failure: mem.fail });
    };
    return {
      read: async prop => (guard(), mem.values.get(prop.config.key) ?? 0),
      write: async (prop, v) => void (guard(), mem.values.set(prop.config.key, v)),
      close: async () => {},
    };
  },
  classify: err =>
    (err as { failure?: Failure }).failure ?? { state: "offline", reason: String(err) },
};
const driver = pollingDriver(memory);

function profile(ids: string[], collectNs = 50_000_000): DeviceProfile {
  return {
    deviceInstances: ids.map(id => ({
      id,
      name: id,
      protocol: `memory-${id}`,
      model: "m",
      propertyVisitors: [
        {
          name: "t",
          propertyName: "temperature",
          modelName: "m",
          protocol: "memory",
          collectCycle: collectNs,
          visitorConfig: { key: "hr1" },
        },
      ],
    })),
    deviceModels: [
      {
        name: "m",
        properties: [{ name: "temperature", dataType: "int", minimum: 0, maximum: 100 }],
      },
    ],
    protocols: ids.map(id => ({ name: `memory-${id}`, protocol: "memory" })),
    propertyVisitors: [],
  };
}

describe("MapperRuntime with a real broker", () => {
  let broker: Broker;
  let twin: TwinClient;
  let peer: MqttRecorder;
  let runtime: MapperRuntime<{ key: string }>;

  beforeAll(async () => {
    broker = await startMosquitto();
    twin = await TwinClient.connect({ url: broker.url, log: createLogger("t", "silent") });
    peer = await MqttRecorder.start(broker.url, ["$hw/events/device/#"]);
    runtime = new MapperRuntime({ driver, twin, log: createLogger("t", "silent") });
  });
  afterAll(async () => {
    await runtime?.stop();
    await twin?.close();
    await peer?.close();
    await broker?.stop();
  });

  const actual = (id: string): string | undefined => {
    const m = peer.last(deviceTopic(id, DeviceTopicSuffix.TwinUpdate));
    return (m?.payload.twin as Record<string, { actual: { value: string } }> | undefined)
      ?.temperature.actual.value;
  };
  const state = (id: string): Record<string, unknown> | undefined =>
    peer.last(deviceTopic(id, DeviceTopicSuffix.StateUpdate))?.payload;

  it("reports values and online state, then follows a delta within range", async () => {
    await runtime.applyProfile(profile(["a"]));
    devices.get("a")!.values.set("hr1", 21);
    await eventually("actual 21", () => actual("a") === "21");
    expect(state("a")).toMatchObject({ state: "online" });
    await peer.publish(deviceTopic("a", DeviceTopicSuffix.TwinUpdateDelta), {
      event_id: "",
      timestamp: 0,
      twin: {},
      delta: { temperature: "42" },
    });
    await eventually("actual 42", () => actual("a") === "42");
    expect(devices.get("a")!.values.get("hr1")).toBe(42);
  });

  it("refuses a desired value above the model maximum and keeps the device value", async () => {
    await peer.publish(deviceTopic("a", DeviceTopicSuffix.TwinUpdateDelta), {
      event_id: "",
      timestamp: 0,
      twin: {},
      delta: { temperature: "101" },
    });
    await peer.publish(deviceTopic("a", DeviceTopicSuffix.TwinUpdateDelta), {
      event_id: "",
      timestamp: 0,
      twin: {},
      delta: { temperature: "43" },
    });
    await eventually("actual 43", () => actual("a") === "43");
    expect(
      peer
        .on(deviceTopic("a", DeviceTopicSuffix.TwinUpdate))
        .some(m => JSON.stringify(m.payload).includes('"101"')),
    ).toBe(false);
  });

  it("moves between offline, unhealthy (with reason) and online", async () => {
    const mem = devices.get("a")!;
    mem.fail = { state: "offline", reason: "connection refused" };
    await eventually("offline", () => state("a")?.state === "offline");
    mem.fail = { state: "unhealthy", reason: "illegal data address" };
    await eventually("unhealthy", () => state("a")?.state === "unhealthy");
    expect(state("a")?.reason).toBe("temperature: illegal data address");
    mem.fail = undefined;
    await eventually("online", () => state("a")?.state === "online");
  });

  it("refuses a bad device on reload while the others keep running, and stops removed ones", async () => {
    const p = profile(["a", "b", "c"]);
    (p.deviceInstances[1].propertyVisitors![0].visitorConfig as { key: unknown }).key = 7;
    const sel = await runtime.applyProfile(p);
    expect(sel.problems).toEqual([
      { device: "b", field: "propertyVisitors[0].visitorConfig.key", reason: "must be string" },
    ]);
    expect(runtime.deviceIds().sort()).toEqual(["a", "c"]);
    devices.get("c")!.values.set("hr1", 7);
    await eventually("c reports", () => actual("c") === "7");
    await runtime.applyProfile(profile(["c"]));
    expect(runtime.deviceIds()).toEqual(["c"]);
  });

  it("keeps the running devices when the profile text is broken", async () => {
    expect(await runtime.applyProfileText("{ nope")).toBeUndefined();
    expect(runtime.deviceIds()).toEqual(["c"]);
  });

  it("applies expected values from twin/get only where the device differs", async () => {
    const mem = devices.get("c")!;
    await peer.publish(deviceTopic("c", DeviceTopicSuffix.TwinGetResult), {
      event_id: "",
      timestamp: 0,
      twin: { temperature: { expected: { value: "55" }, actual: { value: "7" } } },
    });
    await eventually("c at 55", () => mem.values.get("hr1") === 55);
  });
});

describe("MapperRuntime data section", () => {
  it("publishes the properties named in data.dataProperties on the data topic too", async () => {
    const broker = await startMosquitto();
    const log = createLogger("t", "silent");
    const twin = await TwinClient.connect({ url: broker.url, log });
    const peer = await MqttRecorder.start(broker.url, [
      "$ke/events/device/#",
      "$hw/events/device/#",
    ]);
    const runtime = new MapperRuntime({ driver, twin, log });
    try {
      const p = profile(["ts/dev"]);
      p.deviceInstances[0].data = {
        dataTopic: "$ke/events/device/+/data/update",
        dataProperties: [{ propertyName: "temperature" }],
      };
      devices.set("ts/dev", Object.assign(new MemoryDevice(), { values: new Map([["hr1", 12]]) }));
      await runtime.applyProfile(p);
      const m = await eventually("data update", () =>
        peer.last("$ke/events/device/ts/dev/data/update"),
      );
      expect(m.payload.data).toMatchObject({
        temperature: { value: "12", metadata: { type: "int" } },
      });
      await eventually("twin too", () =>
        peer.last(deviceTopic("ts/dev", DeviceTopicSuffix.TwinUpdate)),
      );
    } finally {
      await runtime.stop();
      await twin.close();
      await peer.close();
      await broker.stop();
    }
  });
});

describe("MapperRuntime metrics", () => {
  it("exports each device's state and drops the series when the device is removed", async () => {
    const metrics = createMapperMetrics();
    const log = createLogger("t", "silent");
    const port: TwinPort = {
      publishActual: async () => true,
      publishState: async () => true,
      requestTwin: async () => true,
      onDesired: () => {},
      onConnect: () => {},
    };
    const runtime = new MapperRuntime({ driver, twin: port, log, metrics });
    try {
      await runtime.applyProfile(profile(["m1"]));
      await eventually("online", () => runtime.states().m1?.state === "online");
      const text = await metrics.registry.metrics();
      expect(text).toContain('kubeedge_mapper_device_state{device="m1",state="online"} 1');
      expect(text).toContain('kubeedge_mapper_devices{protocol="memory"} 1');
      await runtime.applyProfile(profile([]));
      expect(await metrics.registry.metrics()).not.toContain('device="m1"');
    } finally {
      await runtime.stop();
    }
  });
});

describe("MapperRuntime started before the broker", () => {
  it("publishes the current state and asks for twins once the broker appears", async () => {
    const port = await freePort();
    const log = createLogger("t", "silent");
    // The mapper retries every 1.5 s, so the recorder below is surely subscribed before it is back.
    const twin = await TwinClient.connect({
      url: `mqtt://127.0.0.1:${port}`,
      log,
      waitMs: 100,
      mqtt: { reconnectPeriod: 1500 },
    });
    const runtime = new MapperRuntime({ driver, twin, log });
    let broker: Broker | undefined;
    let peer: MqttRecorder | undefined;
    try {
      await runtime.applyProfile(profile(["late"]));
      await eventually("polled while offline", () => runtime.states().late?.state === "online");
      broker = await startMosquitto({ port });
      peer = await MqttRecorder.start(broker.url, ["$hw/events/device/#"]);
      await eventually(
        "state after connect",
        () => peer!.last(deviceTopic("late", DeviceTopicSuffix.StateUpdate)),
        10_000,
      );
      await eventually("twin/get after connect", () =>
        peer!.last(deviceTopic("late", DeviceTopicSuffix.TwinGet)),
      );
      await eventually("values after connect", () =>
        peer!.last(deviceTopic("late", DeviceTopicSuffix.TwinUpdate)),
      );
    } finally {
      await runtime.stop();
      await twin.close();
      await peer?.close();
      await broker?.stop();
    }
  });
});
