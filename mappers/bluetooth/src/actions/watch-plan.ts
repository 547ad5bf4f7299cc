/**
 * The watcher's decision (seeds' manual 31.3.3): which watched twin properties have an expected
 * value the device does not hold yet, and which actions bring them there. Pure.
 */
import { sameName } from "../config/references.js";
import type { WatcherSpec } from "../config/types.js";

export interface WatchStep {
  propertyName: string;
  expected: string;
  actions: string[];
}

export function planWatch(
  watcher: WatcherSpec,
  expected: ReadonlyMap<string, string>,
  actual: ReadonlyMap<string, string>,
): WatchStep[] {
  const steps: WatchStep[] = [];
  for (const attr of watcher.attributes) {
    const key = [...expected.keys()].find(k => sameName(k, attr.propertyName));
    if (key === undefined) continue;
    const want = expected.get(key)!;
    if (actual.get(key) === want) continue;
    steps.push({ propertyName: key, expected: want, actions: attr.actions });
  }
  return steps;
}
