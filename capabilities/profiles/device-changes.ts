/**
 * Which Device events can change a profile. A node writes its Device's status every report
 * cycle (reported twins, state, lastOnlineTime); none of that travels in the profile, yet each
 * write used to start a full pass over the namespace (five LISTs of everything in it), so the
 * cost grew with devices × report rate × namespace size. Measured with bench/edgemark.ts: see
 * docs/benchmarks.md ("Edgemark"). A Device counts as changed when what the profile is built
 * from differs from the last event seen for it; the first sighting always counts (a module
 * restart re-checks everything once).
 */
import { createHash } from "node:crypto";
import type { Device } from "../../crds/index.js";
import { buildTwins } from "./builder.js";

/** A digest of the Device's parts the profile and its placement are built from. */
export function profileFingerprint(device: Device): string {
  const m = device.metadata ?? {};
  const relevant = {
    labels: m.labels ?? null,
    annotations: m.annotations ?? null,
    deleting: m.deletionTimestamp ?? null,
    spec: device.spec ?? null,
    twins: buildTwins(device),
  };
  return createHash("sha1").update(JSON.stringify(relevant)).digest("base64");
}

export class DeviceChangeFilter {
  readonly #seen = new Map<string, string>();

  /** True when this event may change a profile (and remembers the Device's fingerprint). */
  changed(device: Device): boolean {
    const key = `${device.metadata?.namespace}/${device.metadata?.name}`;
    const fingerprint = profileFingerprint(device);
    if (this.#seen.get(key) === fingerprint) return false;
    this.#seen.set(key, fingerprint);
    return true;
  }

  forget(device: Device): void {
    this.#seen.delete(`${device.metadata?.namespace}/${device.metadata?.name}`);
  }
}
