/**
 * The runtime create/delete operations of the action manager, scheduler and watcher (seeds'
 * manual 31.4.2) as pure functions over one device's configuration. Each either applies whole
 * or returns its errors and leaves the configuration untouched, so a bad payload changes nothing.
 */
import { ErrorCode } from "@kubeedge-ts/contract";
import { missingActions, sameName } from "../config/references.js";
import type { ActionSpec, MapperConfig, ScheduleSpec, WatcherSpec } from "../config/types.js";

export type OpResult =
  | { ok: true; config: MapperConfig; changed: string[]; warnings: string[] }
  | { ok: false; code: ErrorCode; errors: string[] };

/** What a device offers the configuration: model properties and those with a BLE visitor. */
export interface DeviceSurface {
  id: string;
  properties: string[];
  visitedProperties: string[];
}

function has(list: string[], name: string): boolean {
  return list.some(n => sameName(n, name));
}

function upsert<T extends { name: string }>(list: T[], items: T[]): T[] {
  const out = [...list];
  for (const item of items) {
    const i = out.findIndex(x => sameName(x.name, item.name));
    if (i >= 0) out[i] = item;
    else out.push(item);
  }
  return out;
}

function fail(code: ErrorCode, errors: string[]): OpResult {
  return { ok: false, code, errors };
}

export function createActions(
  config: MapperConfig,
  specs: ActionSpec[],
  dev: DeviceSurface,
): OpResult {
  const errors = specs
    .filter(a => !has(dev.visitedProperties, a.propertyName))
    .map(a =>
      has(dev.properties, a.propertyName)
        ? `action "${a.name}": property "${a.propertyName}" has no Bluetooth property visitor on device ${dev.id}`
        : `action "${a.name}": device ${dev.id} has no property "${a.propertyName}"`,
    );
  if (errors.length) return fail(ErrorCode.BadRequest, errors);
  return {
    ok: true,
    config: { ...config, actions: upsert(config.actions, specs) },
    changed: specs.map(a => a.name),
    warnings: [],
  };
}

/** Who still names an action after it is gone; KubeEdge allowed this and so do we, with a warning. */
function usersOf(config: MapperConfig, name: string): string[] {
  const schedules = config.schedules
    .filter(s => has(s.actions, name))
    .map(s => `schedule "${s.name}"`);
  const watched = config.watcher.attributes
    .filter(w => has(w.actions, name))
    .map(w => `watcher for "${w.propertyName}"`);
  return [...schedules, ...watched];
}

export function deleteActions(config: MapperConfig, names: string[]): OpResult {
  const unknown = missingActions(names, config.actions);
  if (unknown.length)
    return fail(
      ErrorCode.NotFound,
      unknown.map(n => `action "${n}" does not exist`),
    );
  const actions = config.actions.filter(a => !has(names, a.name));
  const next = { ...config, actions };
  const warnings = names.flatMap(n => {
    const users = usersOf(next, n);
    return users.length ? [`action "${n}" is still used by ${users.join(", ")}`] : [];
  });
  return { ok: true, config: next, changed: names, warnings };
}

export function createSchedules(config: MapperConfig, specs: ScheduleSpec[]): OpResult {
  const errors = specs.flatMap(s =>
    missingActions(s.actions, config.actions).map(
      n =>
        `schedule "${s.name}": action "${n}" does not exist; create it on action-manager/create first`,
    ),
  );
  if (errors.length) return fail(ErrorCode.BadRequest, errors);
  return {
    ok: true,
    config: { ...config, schedules: upsert(config.schedules, specs) },
    changed: specs.map(s => s.name),
    warnings: [],
  };
}

export function deleteSchedules(config: MapperConfig, names: string[]): OpResult {
  const unknown = missingActions(names, config.schedules);
  if (unknown.length)
    return fail(
      ErrorCode.NotFound,
      unknown.map(n => `schedule "${n}" does not exist`),
    );
  return {
    ok: true,
    config: { ...config, schedules: config.schedules.filter(s => !has(names, s.name)) },
    changed: names,
    warnings: [],
  };
}

/** `watcher/create` replaces the whole watcher, as the manual says. */
export function replaceWatcher(
  config: MapperConfig,
  spec: WatcherSpec,
  dev: DeviceSurface,
): OpResult {
  const errors = spec.attributes.flatMap(w => [
    ...(has(dev.properties, w.propertyName)
      ? []
      : [`device ${dev.id} has no twin property "${w.propertyName}"`]),
    ...missingActions(w.actions, config.actions).map(
      n =>
        `watcher for "${w.propertyName}": action "${n}" does not exist; create it on action-manager/create first`,
    ),
  ]);
  if (errors.length) return fail(ErrorCode.BadRequest, errors);
  return {
    ok: true,
    config: { ...config, watcher: spec },
    changed: spec.attributes.map(w => w.propertyName),
    warnings: [],
  };
}

/** The config file applied to one device: its actions must fit the device's model. */
export function configForDevice(file: MapperConfig, dev: DeviceSurface): OpResult {
  const base: MapperConfig = { actions: [], schedules: [], watcher: { attributes: [] } };
  const steps: ((c: MapperConfig) => OpResult)[] = [
    c => createActions(c, file.actions, dev),
    c => createSchedules(c, file.schedules),
    c => replaceWatcher(c, file.watcher, dev),
  ];
  let config = base;
  for (const step of steps) {
    const r = step(config);
    if (!r.ok) return r;
    config = r.config;
  }
  return {
    ok: true,
    config: { ...config, deviceModelName: file.deviceModelName },
    changed: [],
    warnings: [],
  };
}
