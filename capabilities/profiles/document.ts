/**
 * Serialising a profile and the 1 MiB ConfigMap limit.
 *
 * A ConfigMap's data may hold at most 1 MiB (1,048,576 bytes). A profile that would exceed it is
 * refused, not sharded: mappers read one `deviceProfile.json` file, so a split profile would
 * silently hide devices from them. The last good ConfigMap stays in place and the reconciler
 * reports the overflow as a Warning Event on the Node and its devices (move devices to another
 * node or namespace to fix it).
 */
import type { DeviceProfile } from "@kubeedge-ts/contract";

export const CONFIGMAP_DATA_LIMIT_BYTES = 1024 * 1024;
/** Headroom for the key and the ConfigMap's metadata in the same object. */
export const MAX_PROFILE_BYTES = CONFIGMAP_DATA_LIMIT_BYTES - 16 * 1024;

/**
 * The budget in force: MAX_PROFILE_BYTES unless KUBEEDGE_TS_PROFILE_MAX_BYTES sets a smaller
 * one (lets the e2e test reach the limit with three devices instead of eight hundred).
 */
export function profileBudget(env: NodeJS.ProcessEnv = process.env): number {
  const override = Number(env.KUBEEDGE_TS_PROFILE_MAX_BYTES);
  return Number.isInteger(override) && override > 0
    ? Math.min(override, MAX_PROFILE_BYTES)
    : MAX_PROFILE_BYTES;
}

/** Compact JSON: whitespace would cost ~30% of the 1 MiB budget. */
export function renderProfile(profile: DeviceProfile): string {
  return JSON.stringify(profile);
}

export function profileBytes(document: string): number {
  return Buffer.byteLength(document, "utf8");
}

export class ProfileTooLargeError extends Error {
  constructor(
    readonly namespace: string,
    readonly node: string,
    readonly bytes: number,
    readonly devices: number,
    readonly budget: number,
  ) {
    super(
      `the device profile of node ${node} in namespace ${namespace} would be ${bytes} bytes ` +
        `for ${devices} devices, over the ${budget}-byte ConfigMap budget; the ` +
        `previous profile stays in place. Bind some of these devices to another node or ` +
        `namespace.`,
    );
    this.name = "ProfileTooLargeError";
  }
}
