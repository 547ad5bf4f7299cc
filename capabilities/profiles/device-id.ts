import type { DeviceLike } from "./types.js";

/** The key of a Device in a profile and in the reconciler's bookkeeping: `namespace/name`. */
export function deviceId(device: DeviceLike): string {
  return `${device.metadata?.namespace ?? ""}/${device.metadata?.name ?? ""}`;
}
