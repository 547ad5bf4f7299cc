/**
 * Schedules and watched attributes name actions; the manual requires those actions to exist
 * before a schedule or watcher uses them. Names compare case-insensitively, as KubeEdge's did.
 */
import type { MapperConfig } from "./types.js";

export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export function missingActions(names: string[], actions: { name: string }[]): string[] {
  return names.filter(n => !actions.some(a => sameName(a.name, n)));
}

export function checkReferences(config: MapperConfig): string[] {
  const errors: string[] = [];
  for (const s of config.schedules) {
    for (const n of missingActions(s.actions, config.actions)) {
      errors.push(`schedule "${s.name}" uses action "${n}", which is not defined`);
    }
  }
  for (const w of config.watcher.attributes) {
    for (const n of missingActions(w.actions, config.actions)) {
      errors.push(`watcher for "${w.propertyName}" uses action "${n}", which is not defined`);
    }
  }
  return errors;
}
