/** Deleting a DeviceModel is refused while Devices in its namespace still reference it. */
import type { Device, DeviceModel } from "../../../crds/index.js";

/** At most this many names in the message; the count says how many more. */
const LISTED = 20;

export function devicesUsingModel(model: DeviceModel, devices: Device[]): string[] {
  return devices
    .filter(d => d.metadata?.namespace === model.metadata?.namespace)
    .filter(d => d.spec?.deviceModelRef?.name === model.metadata?.name)
    .map(d => d.metadata?.name ?? "")
    .sort();
}

export function modelDeletionDenial(model: DeviceModel, devices: Device[]): string | undefined {
  const users = devicesUsingModel(model, devices);
  if (users.length === 0) return undefined;
  const more = users.length > LISTED ? ` and ${users.length - LISTED} more` : "";
  const what = `DeviceModel ${model.metadata?.namespace}/${model.metadata?.name}`;
  return `${what} is still used by Device(s) ${users.slice(0, LISTED).join(", ")}${more}; delete or re-point them first`;
}
