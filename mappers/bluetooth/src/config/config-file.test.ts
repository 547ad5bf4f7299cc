import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfigFile, parseConfigFile, parseConfigText } from "./config-file.js";

const MANUAL_LAYOUT = `
mqtt:
  mode: 0
  server: tcp://127.0.0.1:1883
  internal-server: tcp://127.0.0.1:1884
device-model-name: cc2650-sensortag
action-manager:
  actions:
  - name: IRTemperatureConfiguration
    perform-immediately: true
    device-property-name: temperature-enable
  - name: IRTemperatureData
    perform-immediately: false
    device-property-name: temperature
  scheduler:
    schedules:
    - name: temperature
      interval: 3000
      occurrence-limit: 25
      actions:
      - IRTemperatureConfiguration
      - IRTemperatureData
  watcher:
    device-twin-attributes:
    - device-property-name: temperature-enable
      actions:
      - IRTemperatureConfiguration
`;

const TOP_LEVEL_LAYOUT = `
action-manager:
  actions:
  - name: read
    device-property-name: temperature
scheduler:
  schedules:
  - name: poll
    interval: 100
    actions: [read]
watcher:
  device-twin-attributes: []
`;

describe("parseConfigText", () => {
  it("reads the manual's full example, with scheduler and watcher nested under action-manager", () => {
    const got = parseConfigText(MANUAL_LAYOUT);
    expect(got).toEqual({
      ok: true,
      value: {
        deviceModelName: "cc2650-sensortag",
        actions: [
          {
            name: "IRTemperatureConfiguration",
            performImmediately: true,
            propertyName: "temperature-enable",
          },
          { name: "IRTemperatureData", performImmediately: false, propertyName: "temperature" },
        ],
        schedules: [
          {
            name: "temperature",
            interval: 3000,
            occurrenceLimit: 25,
            actions: ["IRTemperatureConfiguration", "IRTemperatureData"],
          },
        ],
        watcher: {
          attributes: [
            { propertyName: "temperature-enable", actions: ["IRTemperatureConfiguration"] },
          ],
        },
      },
    });
  });
  it("reads the per-module layout with top-level scheduler and watcher", () => {
    const got = parseConfigText(TOP_LEVEL_LAYOUT);
    expect(got.ok && got.value.schedules).toEqual([
      { name: "poll", interval: 100, occurrenceLimit: 0, actions: ["read"] },
    ]);
  });
  it("treats an empty file as no actions, schedules or watcher", () => {
    expect(parseConfigText("")).toEqual({
      ok: true,
      value: { actions: [], schedules: [], watcher: { attributes: [] } },
    });
  });
  const bad: { name: string; text: string; error: string }[] = [
    { name: "broken YAML", text: "action-manager: [", error: "not valid YAML" },
    {
      name: "an unknown top-level key",
      text: "schedulers: {}",
      error: 'unknown top-level key "schedulers"',
    },
    {
      name: "a schedule naming an undefined action",
      text: "scheduler:\n  schedules:\n  - {name: s, actions: [nope]}",
      error: 'schedule "s" uses action "nope", which is not defined',
    },
    {
      name: "a watcher naming an undefined action",
      text: "watcher:\n  device-twin-attributes:\n  - {device-property-name: p, actions: [nope]}",
      error: 'watcher for "p" uses action "nope", which is not defined',
    },
    {
      name: "scheduler in both places",
      text: "scheduler: {schedules: []}\naction-manager: {scheduler: {schedules: []}}",
      error: '"scheduler" is given both at the top level and under "action-manager"; keep one',
    },
    {
      name: "a bad action with its location",
      text: "action-manager:\n  actions:\n  - {name: a}",
      error:
        "action-manager.actions[0].device-property-name: must name a property of the device model",
    },
  ];
  it.each(bad)("refuses $name", ({ text, error }) => {
    const got = parseConfigText(text);
    expect(got.ok).toBe(false);
    if (!got.ok) expect(got.errors.join("\n")).toContain(error);
  });
});

describe("parseConfigFile", () => {
  it("takes the broker from KubeEdge's mqtt section by mode", () => {
    const internal = parseConfigFile(MANUAL_LAYOUT);
    expect(internal.ok && internal.value.mqttUrl).toBe("tcp://127.0.0.1:1884");
    const external = parseConfigFile(MANUAL_LAYOUT.replace("mode: 0", "mode: 1"));
    expect(external.ok && external.value.mqttUrl).toBe("tcp://127.0.0.1:1883");
  });
  it("passes mapper settings through when their keys are allowed", () => {
    const got = parseConfigFile("httpPort: 9090\nlogLevel: debug\n", ["httpPort", "logLevel"]);
    expect(got.ok && got.value.settings).toEqual({ httpPort: 9090, logLevel: "debug" });
    expect(parseConfigFile("httpPort: 9090\n").ok).toBe(false);
  });
});

describe("loadConfigFile", () => {
  it("names the file and every error", async () => {
    const dir = await mkdtemp(join(tmpdir(), "bt-config-"));
    try {
      const path = join(dir, "config.yaml");
      await writeFile(
        path,
        "scheduler:\n  schedules:\n  - {name: s, interval: -5, actions: [x]}\n",
      );
      await expect(loadConfigFile(path)).rejects.toThrow(
        /invalid config file .*config\.yaml:\n.*interval: must be a non-negative integer/,
      );
      await expect(loadConfigFile(join(dir, "missing.yaml"))).rejects.toThrow(
        /cannot read config file/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
