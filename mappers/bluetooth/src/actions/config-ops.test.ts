import { ErrorCode } from "@kubeedge-ts/contract";
import type { MapperConfig } from "../config/types.js";
import {
  configForDevice,
  createActions,
  createSchedules,
  deleteActions,
  deleteSchedules,
  replaceWatcher,
  type DeviceSurface,
  type OpResult,
} from "./config-ops.js";

const DEV: DeviceSurface = {
  id: "default/sensortag",
  properties: ["temperature", "temperature-enable", "name"],
  visitedProperties: ["temperature", "temperature-enable"],
};

const BASE: MapperConfig = {
  actions: [
    {
      name: "IRTemperatureConfiguration",
      performImmediately: true,
      propertyName: "temperature-enable",
    },
    { name: "IRTemperatureData", performImmediately: false, propertyName: "temperature" },
  ],
  schedules: [
    { name: "temperature", interval: 100, occurrenceLimit: 0, actions: ["IRTemperatureData"] },
  ],
  watcher: {
    attributes: [{ propertyName: "temperature-enable", actions: ["IRTemperatureConfiguration"] }],
  },
};

function errorsOf(r: OpResult): string[] {
  return r.ok ? [] : r.errors;
}

describe("runtime configuration operations", () => {
  const table: {
    name: string;
    run: () => OpResult;
    code?: ErrorCode;
    error?: string;
    check?: (c: MapperConfig) => void;
  }[] = [
    {
      name: "action create adds a new action at the end",
      run: () =>
        createActions(
          BASE,
          [{ name: "Extra", performImmediately: false, propertyName: "temperature" }],
          DEV,
        ),
      check: c =>
        expect(c.actions.map(a => a.name)).toEqual([
          "IRTemperatureConfiguration",
          "IRTemperatureData",
          "Extra",
        ]),
    },
    {
      name: "action create updates an action of the same name in place (names ignore case)",
      run: () =>
        createActions(
          BASE,
          [{ name: "irtemperaturedata", performImmediately: true, propertyName: "temperature" }],
          DEV,
        ),
      check: c => expect(c.actions).toHaveLength(2),
    },
    {
      name: "action create refuses a property the model lacks",
      run: () =>
        createActions(
          BASE,
          [{ name: "x", performImmediately: false, propertyName: "humidity" }],
          DEV,
        ),
      code: ErrorCode.BadRequest,
      error: 'action "x": device default/sensortag has no property "humidity"',
    },
    {
      name: "action create refuses a property without a Bluetooth visitor",
      run: () =>
        createActions(BASE, [{ name: "x", performImmediately: false, propertyName: "name" }], DEV),
      code: ErrorCode.BadRequest,
      error:
        'action "x": property "name" has no Bluetooth property visitor on device default/sensortag',
    },
    {
      name: "action delete removes and warns about schedules still using it",
      run: () => deleteActions(BASE, ["IRTemperatureData"]),
      check: c => expect(c.actions.map(a => a.name)).toEqual(["IRTemperatureConfiguration"]),
    },
    {
      name: "action delete of an unknown action is an error and deletes nothing",
      run: () => deleteActions(BASE, ["IRTemperatureData", "nope"]),
      code: ErrorCode.NotFound,
      error: 'action "nope" does not exist',
    },
    {
      name: "schedule create refuses unknown actions",
      run: () =>
        createSchedules(BASE, [
          { name: "s", interval: 10, occurrenceLimit: 1, actions: ["IRTemperatureData", "ghost"] },
        ]),
      code: ErrorCode.BadRequest,
      error:
        'schedule "s": action "ghost" does not exist; create it on action-manager/create first',
    },
    {
      name: "schedule create replaces a schedule of the same name",
      run: () =>
        createSchedules(BASE, [
          { name: "temperature", interval: 50, occurrenceLimit: 3, actions: [] },
        ]),
      check: c =>
        expect(c.schedules).toEqual([
          { name: "temperature", interval: 50, occurrenceLimit: 3, actions: [] },
        ]),
    },
    {
      name: "schedule delete of an unknown schedule is an error",
      run: () => deleteSchedules(BASE, ["nope"]),
      code: ErrorCode.NotFound,
      error: 'schedule "nope" does not exist',
    },
    {
      name: "schedule delete removes it",
      run: () => deleteSchedules(BASE, ["TEMPERATURE"]),
      check: c => expect(c.schedules).toEqual([]),
    },
    {
      name: "watcher create replaces the whole watcher",
      run: () => replaceWatcher(BASE, { attributes: [] }, DEV),
      check: c => expect(c.watcher.attributes).toEqual([]),
    },
    {
      name: "watcher create refuses an unknown action",
      run: () =>
        replaceWatcher(
          BASE,
          { attributes: [{ propertyName: "temperature-enable", actions: ["ghost"] }] },
          DEV,
        ),
      code: ErrorCode.BadRequest,
      error:
        'watcher for "temperature-enable": action "ghost" does not exist; create it on action-manager/create first',
    },
    {
      name: "watcher create refuses an unknown twin property",
      run: () =>
        replaceWatcher(BASE, { attributes: [{ propertyName: "humidity", actions: [] }] }, DEV),
      code: ErrorCode.BadRequest,
      error: 'device default/sensortag has no twin property "humidity"',
    },
  ];
  it.each(table)("$name", ({ run, code, error, check }) => {
    const before = JSON.stringify(BASE);
    const r = run();
    expect(JSON.stringify(BASE)).toBe(before); // never mutates its input
    if (error) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.code).toBe(code);
      expect(errorsOf(r)).toContain(error);
    } else {
      expect(r.ok).toBe(true);
      if (r.ok) check?.(r.config);
    }
  });

  it("warns when a deleted action is still named by a schedule or the watcher", () => {
    const r = deleteActions(BASE, ["IRTemperatureData", "IRTemperatureConfiguration"]);
    expect(r.ok && r.warnings).toEqual([
      'action "IRTemperatureData" is still used by schedule "temperature"',
      'action "IRTemperatureConfiguration" is still used by watcher for "temperature-enable"',
    ]);
  });

  it("applies the config file to a device whose model fits", () => {
    const r = configForDevice(BASE, DEV);
    expect(r.ok && r.config.actions).toEqual(BASE.actions);
  });

  it("refuses the config file for a device whose model lacks a property", () => {
    const r = configForDevice(BASE, {
      ...DEV,
      properties: ["temperature"],
      visitedProperties: ["temperature"],
    });
    expect(errorsOf(r)).toContain(
      'action "IRTemperatureConfiguration": device default/sensortag has no property "temperature-enable"',
    );
  });
});
