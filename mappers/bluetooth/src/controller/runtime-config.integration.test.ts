/**
 * The runtime configuration topics end to end over a real broker, with the payloads of the
 * seeds' manual 31.4.2: good payloads apply, bad ones are answered with a clear error on
 * `<topic>/result` and change nothing.
 */
import { bluetoothMapperTopic, BluetoothMapperTopicSuffix as Suffix } from "@kubeedge-ts/contract";
import { eventually } from "@kubeedge-ts/testkit";
import { DEVICE_ID } from "../../test/fixtures.js";
import { SENSORTAG } from "../../test/sim-peripheral.js";
import { startStack, type Stack } from "../../test/stack.js";
import { parseConfigTopic } from "./config-channel.js";

const BASE_CONFIG = `
action-manager:
  actions:
  - name: IRTemperatureData
    device-property-name: temperature
`;

describe("runtime configuration over MQTT", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: BASE_CONFIG });
    await eventually("online", () => stack.states().includes("online"), 5000);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** Publishes a request and returns the reply from `<topic>/result`. */
  async function request(
    suffix: Suffix,
    payload: unknown,
    id = DEVICE_ID,
  ): Promise<Record<string, unknown>> {
    const topic = bluetoothMapperTopic(id, suffix);
    const resultTopic = `${topic}/result`;
    const before = stack.recorder.on(resultTopic).length;
    const raw = typeof payload === "string" ? payload : JSON.stringify(payload);
    await stack.recorder.client.publishAsync(topic, raw, { qos: 1 });
    return eventually("reply", () => stack.recorder.on(resultTopic)[before]?.payload, 3000);
  }

  const controller = () => stack.mapper.runtime.session(DEVICE_ID)!;
  const snapshot = () => JSON.stringify(controller().configuration);

  const bad: { name: string; suffix: Suffix; payload: unknown; code: number; reason: string }[] = [
    {
      name: "a payload that is not JSON",
      suffix: Suffix.ActionManagerCreate,
      payload: "{nope",
      code: 400,
      reason: "payload is not JSON",
    },
    {
      name: "an object where a list is due",
      suffix: Suffix.ActionManagerCreate,
      payload: { name: "x" },
      code: 400,
      reason: "expected a JSON array of actions",
    },
    {
      name: "an action on a property the model lacks",
      suffix: Suffix.ActionManagerCreate,
      payload: [{ name: "Hum", "device-property-name": "humidity" }],
      code: 400,
      reason: 'action "Hum": device default/sensortag has no property "humidity"',
    },
    {
      name: "a misspelt field",
      suffix: Suffix.ActionManagerCreate,
      payload: [{ name: "x", "device-property-name": "temperature", performImmediately: true }],
      code: 400,
      reason: 'unknown field "performImmediately"',
    },
    {
      name: "deleting an unknown action",
      suffix: Suffix.ActionManagerDelete,
      payload: [{ name: "IRTemperatureData" }, { name: "Ghost" }],
      code: 404,
      reason: 'action "Ghost" does not exist',
    },
    {
      name: "a schedule with an unknown action",
      suffix: Suffix.SchedulerCreate,
      payload: [{ name: "t", interval: 50, "occurrence-limit": 1, actions: ["Ghost"] }],
      code: 400,
      reason: 'schedule "t": action "Ghost" does not exist',
    },
    {
      name: "a negative interval",
      suffix: Suffix.SchedulerCreate,
      payload: [{ name: "t", interval: -5, actions: ["IRTemperatureData"] }],
      code: 400,
      reason: "[0].interval: must be a non-negative integer",
    },
    {
      name: "deleting an unknown schedule",
      suffix: Suffix.SchedulerDelete,
      payload: [{ name: "Ghost" }],
      code: 404,
      reason: 'schedule "Ghost" does not exist',
    },
    {
      name: "a watcher with an unknown action",
      suffix: Suffix.WatcherCreate,
      payload: {
        "device-twin-attributes": [
          { "device-property-name": "temperature-enable", actions: ["Ghost"] },
        ],
      },
      code: 400,
      reason: 'action "Ghost" does not exist',
    },
  ];
  it.each(bad)("refuses $name and changes nothing", async ({ suffix, payload, code, reason }) => {
    const before = snapshot();
    const reply = await request(suffix, payload);
    expect(reply.code).toBe(code);
    expect(String(reply.reason)).toContain(reason);
    expect(snapshot()).toBe(before);
  });

  it("leaves requests for devices it does not serve to their own mapper", async () => {
    const topic = bluetoothMapperTopic("default/other", Suffix.SchedulerDelete);
    await stack.recorder.publish(topic, [{ name: "x" }]);
    await request(Suffix.SchedulerDelete, [{ name: "x" }]); // a later request is answered...
    expect(stack.recorder.on(`${topic}/result`)).toEqual([]); // ...this one never was
  });

  it("creates actions (performing perform-immediately ones), schedules and a watcher, then deletes them", async () => {
    const log = stack.tag.peripheral.log;
    const created = await request(Suffix.ActionManagerCreate, [
      {
        name: "IRTemperatureConfiguration",
        "perform-immediately": true,
        "device-property-name": "temperature-enable",
      },
      {
        name: "IRTemperatureData",
        "perform-immediately": false,
        "device-property-name": "temperature",
      },
    ]);
    expect(created).toMatchObject({ code: 200 });
    await eventually("immediate write", () => log.includes(`write ${SENSORTAG.config} 01`), 3000);
    expect(controller().configuration.actions.map(a => a.name)).toEqual([
      "IRTemperatureData",
      "IRTemperatureConfiguration",
    ]);

    const results = bluetoothMapperTopic(DEVICE_ID, Suffix.SchedulerResult);
    const sched = await request(Suffix.SchedulerCreate, [
      {
        name: "temperature",
        interval: 30,
        "occurrence-limit": 2,
        actions: ["IRTemperatureConfiguration", "IRTemperatureData"],
      },
    ]);
    expect(sched).toMatchObject({ code: 200 });
    // Two runs of two actions, then the occurrence limit ends the schedule: exactly 4 results.
    await eventually("schedule done", () => controller().schedule("temperature")?.finished, 3000);
    await eventually("4 results", () => stack.recorder.on(results).length >= 4, 3000);
    expect(stack.recorder.on(results).map(m => m.payload.EventName)).toEqual([
      "IRTemperatureConfiguration",
      "IRTemperatureData",
      "IRTemperatureConfiguration",
      "IRTemperatureData",
    ]);
    expect(stack.recorder.on(results)[1].payload.EventResult).toBe("25.125");

    const watch = await request(Suffix.WatcherCreate, {
      "device-twin-attributes": [
        { "device-property-name": "temperature-enable", actions: ["IRTemperatureConfiguration"] },
      ],
    });
    expect(watch).toMatchObject({ code: 200 });
    expect(controller().configuration.watcher.attributes).toHaveLength(1);

    const delAction = await request(Suffix.ActionManagerDelete, [{ name: "IRTemperatureData" }]);
    expect(delAction).toMatchObject({
      code: 200,
      warnings: ['action "IRTemperatureData" is still used by schedule "temperature"'],
    });
    const delSched = await request(Suffix.SchedulerDelete, [{ name: "temperature" }]);
    expect(delSched).toMatchObject({ code: 200 });
    expect(controller().configuration.schedules).toEqual([]);
  });

  it("accepts the one-segment device id of KubeEdge <= 1.16 topics", async () => {
    const reply = await request(Suffix.SchedulerDelete, [{ name: "nothing" }], "sensortag");
    expect(reply).toMatchObject({ code: 404, reason: 'schedule "nothing" does not exist' });
  });
});

describe("parseConfigTopic", () => {
  it.each([
    {
      topic: "$ke/device/bluetooth-mapper/sensortag/watcher/create",
      want: { deviceId: "sensortag", suffix: Suffix.WatcherCreate },
    },
    {
      topic: "$ke/device/bluetooth-mapper/default/sensortag/scheduler/delete",
      want: { deviceId: "default/sensortag", suffix: Suffix.SchedulerDelete },
    },
    { topic: "$ke/device/bluetooth-mapper/default/sensortag/scheduler/result", want: undefined },
    {
      topic: "$ke/device/bluetooth-mapper/default/sensortag/scheduler/create/result",
      want: undefined,
    },
    { topic: "$ke/device/bluetooth-mapper/a/b/c/action-manager/create", want: undefined },
    { topic: "$hw/events/device/x/twin/update", want: undefined },
  ])("$topic", ({ topic, want }) => {
    expect(parseConfigTopic(topic)).toEqual(want);
  });
});
