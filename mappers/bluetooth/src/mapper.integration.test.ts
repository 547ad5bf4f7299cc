import { writeFile } from "node:fs/promises";
/**
 * The mapper end to end: noble's real central code against a simulated SensorTag, values on the
 * twin topics of a real mosquitto. scan → connect → discover → write (perform-immediately) →
 * scheduled reads → notifications → watcher writes → peripheral vanishes and returns → stop.
 */
import {
  deviceTopic,
  DeviceTopicSuffix,
  bluetoothMapperTopic,
  BluetoothMapperTopicSuffix,
} from "@kubeedge-ts/contract";
import { eventually } from "@kubeedge-ts/testkit";
import { DEVICE_ID, SENSORTAG_CONFIG, sensorTagProfile } from "../test/fixtures.js";
import { addSensorTag, SENSORTAG } from "../test/sim-peripheral.js";
import { startStack, type Stack } from "../test/stack.js";

describe("Bluetooth mapper with a simulated SensorTag", () => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  it("reads, writes, notifies and follows desired values through a reconnect", async () => {
    stack = await startStack({ config: SENSORTAG_CONFIG, celsius: 25.125 });
    const s = stack;
    const log = s.tag.peripheral.log;

    await eventually("online", () => s.states().includes("online"), 5000);
    // perform-immediately wrote the desired "ON" (0x01) through dataWrite.
    await eventually("sensor enabled", () => s.tag.enabled, 3000);
    expect(log).toContain(`write ${SENSORTAG.config} 01`);

    // The schedule reads 3 times, converted by the dataConverter, on the twin topic.
    const results = bluetoothMapperTopic(DEVICE_ID, BluetoothMapperTopicSuffix.SchedulerResult);
    await eventually("3 scheduled reads", () => s.recorder.on(results).length === 3, 5000);
    expect(s.recorder.on(results).map(m => m.payload.EventResult)).toEqual([
      "25.125",
      "25.125",
      "25.125",
    ]);
    expect(s.recorder.on(results)[0].payload).toMatchObject({
      EventName: "IRTemperatureData",
      schedule: "temperature",
    });
    expect(s.actuals("temperature")).toContain("25.125");
    // Each reading carries its property's model type, as KubeEdge's mappers send it.
    const updates = s.recorder
      .on(deviceTopic(DEVICE_ID, DeviceTopicSuffix.TwinUpdate))
      .map(m => m.payload as { twin: Record<string, { metadata?: { type?: string } }> });
    const reading = updates.find(u => "temperature" in u.twin);
    expect(reading?.twin.temperature?.metadata?.type).toBe("float");

    // Notifications from the data characteristic arrive as actual values.
    await eventually("subscribed", () => s.tag.peripheral.subscribed.has(SENSORTAG.data), 3000);
    expect(s.tag.setTemperature(30.5)).toBe(true);
    await eventually("notified value", () => s.actuals("temperature").includes("30.5"), 3000);

    // A desired change (as the edge agent sends it) makes the watcher write OFF.
    await s.recorder.publish(deviceTopic(DEVICE_ID, DeviceTopicSuffix.TwinUpdateDelta), {
      event_id: "",
      timestamp: Date.now(),
      twin: { "temperature-enable": { expected: { value: "OFF" }, actual: { value: "ON" } } },
      delta: { "temperature-enable": "OFF" },
    });
    await eventually("sensor disabled", () => !s.tag.enabled, 3000);
    await eventually(
      "actual OFF reported",
      () => s.actuals("temperature-enable").at(-1) === "OFF",
      3000,
    );

    // The peripheral walks away: offline; it comes back: online, and the watcher re-applies OFF.
    s.tag.peripheral.disappear();
    await eventually("offline", () => s.states().at(-1) === "offline", 3000);
    const health = (await (await fetch(`${s.mapper.http.url}/healthz`)).json()) as {
      devices: Record<string, { state: string }>;
    };
    expect(health.devices[DEVICE_ID]).toEqual({ state: "offline" });
    s.tag.peripheral.log.length = 0;
    s.tag.peripheral.appear();
    await eventually("online again", () => s.states().at(-1) === "online", 5000);
    await eventually(
      "OFF written again",
      () => s.tag.peripheral.log.includes(`write ${SENSORTAG.config} 00`),
      3000,
    );
    expect(s.tag.enabled).toBe(false);

    // Stopping the mapper disconnects from the peripheral.
    await s.mapper.stop();
    expect(s.tag.peripheral.connected).toBe(false);
    expect(s.tag.peripheral.log).toContain("disconnect");
  });

  it("serves /metrics and /healthz", async () => {
    stack = await startStack({});
    const s = stack;
    await eventually("online", () => s.states().includes("online"), 5000);
    const health = await fetch(`${s.mapper.http.url}/healthz`);
    expect(health.status).toBe(200);
    const metrics = await (await fetch(`${s.mapper.http.url}/metrics`)).text();
    expect(metrics).toMatch(/kubeedge_mapper_devices\{protocol="bluetooth"\} 1/);
    expect(metrics).toMatch(
      /kubeedge_mapper_device_state\{device="default\/sensortag",state="online"\} 1/,
    );
  });

  it("without a config file, reads ReadOnly properties every collect cycle and writes desired values", async () => {
    const profile = sensorTagProfile();
    profile.deviceInstances[0].propertyVisitors![0].collectCycle = 200_000_000; // ns, as in the CRD
    stack = await startStack({ profile });
    const s = stack;
    // The default watcher applies the profile's desired "ON"; the default schedule then reads.
    await eventually("sensor enabled", () => s.tag.enabled, 5000);
    await eventually("temperature read", () => s.actuals("temperature").includes("25.125"), 3000);
  });

  it("follows the profile file: keeps unchanged devices, ignores a broken file, reconnects on a new MAC, drops removed devices", async () => {
    stack = await startStack({});
    const s = stack;
    await eventually("online", () => s.tag.peripheral.connected, 5000);
    const first = s.mapper.runtime.session(DEVICE_ID);

    const loads = async (result: "ok" | "invalid"): Promise<number> =>
      (await s.mapper.metrics.profileLoads.get()).values.find(v => v.labels.result === result)
        ?.value ?? 0;
    await writeFile(s.profilePath, "{ not json");
    await eventually("broken profile refused", async () => (await loads("invalid")) === 1, 3000);
    expect(s.mapper.runtime.session(DEVICE_ID)).toBe(first);
    expect(s.tag.peripheral.connected).toBe(true);
    const loaded = await loads("ok");
    await writeFile(s.profilePath, JSON.stringify(sensorTagProfile()));
    await eventually("same profile read again", async () => (await loads("ok")) > loaded, 3000);
    // Applies are queued: once this one is done, the file's apply is done too.
    await s.mapper.runtime.applyProfile(sensorTagProfile());
    expect(s.mapper.runtime.session(DEVICE_ID)).toBe(first);

    const other = addSensorTag(s.radio, "A0:E6:F8:00:00:01");
    await writeFile(s.profilePath, JSON.stringify(sensorTagProfile("A0:E6:F8:00:00:01")));
    await eventually(
      "moved to the new MAC",
      () => other.peripheral.connected && !s.tag.peripheral.connected,
      5000,
    );
    expect(s.mapper.runtime.session(DEVICE_ID)).not.toBe(first);

    await writeFile(s.profilePath, JSON.stringify({ ...sensorTagProfile(), deviceInstances: [] }));
    await eventually("device dropped", () => s.mapper.runtime.deviceIds().length === 0, 5000);
    await eventually("disconnected", () => !other.peripheral.connected, 3000);
  });

  it("coalesces notified values to one report per reportCycle, newest value last", async () => {
    const profile = sensorTagProfile();
    profile.deviceInstances[0].propertyVisitors![0].reportCycle = 300_000_000; // ns
    stack = await startStack({ profile });
    const s = stack;
    await eventually("subscribed", () => s.tag.peripheral.subscribed.has(SENSORTAG.data), 5000);
    await eventually("sensor enabled", () => s.tag.enabled, 3000);
    const before = s.actuals("temperature").length;
    for (let i = 0; i < 20; i++) s.tag.setTemperature(30 + i * 0.25);
    await eventually("newest value", () => s.actuals("temperature").at(-1) === "34.75", 3000);
    // 20 notifications within one cycle: the first at once, the newest when the cycle ends.
    expect(s.actuals("temperature").length - before).toBeLessThanOrEqual(2);
  });
});
