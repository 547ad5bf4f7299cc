import type { DeviceTwin } from "../../crds/index.js";

/**
 * Sets each reported value of `from` on the twin of the same property in `twins` (or adds one).
 * Reported values belong to the device: a node's write brings new ones, and a user's write keeps
 * the stored ones (client-side `kubectl apply` sends a twins list without them).
 */
export function mergeReported(twins: DeviceTwin[], from: DeviceTwin[]): DeviceTwin[] {
  const out = twins.map(t => ({ ...t }));
  for (const t of from) {
    if (!t.reported) continue;
    const existing = out.find(s => s.propertyName === t.propertyName);
    if (existing) existing.reported = t.reported;
    else out.push({ propertyName: t.propertyName, reported: t.reported });
  }
  return out;
}
