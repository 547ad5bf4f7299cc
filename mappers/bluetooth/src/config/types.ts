/**
 * The Bluetooth mapper's own configuration (seeds' manual 31.3–31.4): named actions, schedules
 * and the watcher. The same shapes arrive from the `--config` YAML file and, at run time, as JSON
 * on `$ke/device/bluetooth-mapper/<deviceID>/...`; the wire keys are kebab-case.
 */

/** A named read or write of the characteristic behind one model property. */
export interface ActionSpec {
  name: string;
  /** Run once as soon as the device is connected (or, when created at run time, right away). */
  performImmediately: boolean;
  /** Property name in the device model; its Bluetooth visitor names the characteristic. */
  propertyName: string;
}

export interface ScheduleSpec {
  name: string;
  /** Milliseconds between runs (and, as in KubeEdge, between the actions of one run). */
  interval: number;
  /** Runs before the schedule stops; 0 runs forever. */
  occurrenceLimit: number;
  /** Action names, performed in this order. */
  actions: string[];
}

export interface WatchAttribute {
  /** Twin property whose expected value the watcher makes the actual one. */
  propertyName: string;
  actions: string[];
}

export interface WatcherSpec {
  attributes: WatchAttribute[];
}

export interface MapperConfig {
  actions: ActionSpec[];
  schedules: ScheduleSpec[];
  watcher: WatcherSpec;
  /** KubeEdge's `device-model-name`: only devices of this model are handled when set. */
  deviceModelName?: string;
}

/** KubeEdge's default when a schedule gives no interval. */
export const DEFAULT_SCHEDULE_INTERVAL_MS = 5000;

export function emptyConfig(): MapperConfig {
  return { actions: [], schedules: [], watcher: { attributes: [] } };
}
