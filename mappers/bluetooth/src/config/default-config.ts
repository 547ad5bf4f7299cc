/**
 * Without `--config` the mapper still serves a device from its profile alone: one action per
 * visited property, named after it; ReadOnly properties are read every collect cycle and
 * ReadWrite ones follow their desired twin value through the watcher.
 */
import type { BluetoothDevice } from "../profile/bluetooth-spec.js";
import type { MapperConfig } from "./types.js";

export function defaultConfig(device: BluetoothDevice): MapperConfig {
  const config: MapperConfig = { actions: [], schedules: [], watcher: { attributes: [] } };
  for (const p of device.properties) {
    config.actions.push({ name: p.name, performImmediately: false, propertyName: p.name });
    if (p.property.accessMode === "ReadOnly") {
      const interval = p.collectCycleMs;
      config.schedules.push({ name: p.name, interval, occurrenceLimit: 0, actions: [p.name] });
    } else {
      config.watcher.attributes.push({ propertyName: p.name, actions: [p.name] });
    }
  }
  return config;
}
