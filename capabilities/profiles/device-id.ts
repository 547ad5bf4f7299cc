import type { Device } from "../../crds/index.js";

/**
 * The key of a Device in the reconciler's bookkeeping (order, skipped devices): `namespace/name`.
 * The profile's `id` is the wire id instead (`wireDeviceId` in the contract: the bare name).
 */
export function deviceId(device: Device): string {
  return `${device.metadata?.namespace ?? ""}/${device.metadata?.name ?? ""}`;
}
