/**
 * The one reader of `deviceProfile.json`, used by the edge agent (profile ConfigMaps from the
 * cloud) and by the mappers (the mounted file): the document, a device's property visitors and
 * its cycles in milliseconds. Pure.
 */
import type { DeviceProfile, ProfileDeviceInstance, ProfilePropertyVisitor } from "./profile.js";
import { checkSchema, documentSchema } from "./profile-schema.js";
import type { ValueResult } from "./twin-value.js";

/**
 * KubeEdge's collect and report cycle when a Device leaves them unset (one second). The cloud
 * omits unset cycles from the profile as upstream does, so every reader applies this default
 * where it uses a cycle.
 */
export const DEFAULT_CYCLE_MS = 1000;
/** Shorter cycles would spin: a cycle of 1 ns means "as fast as sensible", not a busy loop. */
export const MIN_CYCLE_MS = 10;

/** Parses the document's text; a broken document is refused as a whole (keep the last one). */
export function parseDeviceProfile(text: string): ValueResult<DeviceProfile> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `not JSON: ${(err as Error).message}` };
  }
  const problems = checkSchema(documentSchema, doc, "profile");
  if (problems.length > 0) {
    return { ok: false, reason: problems.map(p => `${p.field} ${p.reason}`).join(", ") };
  }
  const p = doc as Partial<DeviceProfile>;
  return {
    ok: true,
    value: {
      deviceInstances: p.deviceInstances ?? [],
      deviceModels: p.deviceModels ?? [],
      protocols: p.protocols ?? [],
      propertyVisitors: p.propertyVisitors ?? [],
    },
  };
}

/**
 * The property visitors of one device. The device's own list wins whenever the key is there,
 * even empty: our cloud (and KubeEdge's) lists each device's visitors in the instance and
 * copies every device's visitors to the top level for older mappers, so a device with `[]`
 * taking top-level visitors would take other devices' ones. Only a profile written in the
 * older layout, with no `propertyVisitors` key on the instance, falls back to the top level,
 * and then only to the visitors of the device's own model: that layout keys visitors by model.
 */
export function deviceVisitors(
  profile: DeviceProfile,
  inst: ProfileDeviceInstance,
): ProfilePropertyVisitor[] {
  if (Object.hasOwn(inst, "propertyVisitors")) {
    return Array.isArray(inst.propertyVisitors) ? inst.propertyVisitors : [];
  }
  return profile.propertyVisitors.filter(v => v.modelName === inst.model);
}

/** A Go duration in nanoseconds as timer milliseconds; absent or not positive → the fallback. */
export function cycleMs(ns: number | undefined, fallbackMs: number): number {
  if (ns === undefined || !Number.isFinite(ns) || ns <= 0) return fallbackMs;
  return Math.max(MIN_CYCLE_MS, Math.round(ns / 1e6));
}

export interface VisitorCycles {
  collectCycleMs: number;
  reportCycleMs: number;
}

/** A visitor's cycles: collect defaults to `defaultMs`, report to the collect cycle. */
export function visitorCycles(
  visitor: Pick<ProfilePropertyVisitor, "collectCycle" | "reportCycle">,
  defaultMs = DEFAULT_CYCLE_MS,
): VisitorCycles {
  const collectCycleMs = cycleMs(visitor.collectCycle, defaultMs);
  return { collectCycleMs, reportCycleMs: cycleMs(visitor.reportCycle, collectCycleMs) };
}
