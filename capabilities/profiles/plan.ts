/**
 * The desired state of every profile in a namespace: which (node → devices) ConfigMaps must
 * exist. Devices not bound to a node have no profile and are reported instead.
 */
import { boundNode } from "../shared/node-binding.js";
import { deviceId } from "./device-id.js";
import { buildProfile, type SkippedDevice } from "./builder.js";
import { renderProfile } from "./document.js";
import type { Device, DeviceModel } from "../../crds/index.js";

export interface DesiredProfile {
  namespace: string;
  node: string;
  /** The `deviceProfile.json` value, exactly as it goes into the ConfigMap. */
  document: string;
  deviceCount: number;
}

export interface NamespacePlan {
  namespace: string;
  profiles: DesiredProfile[];
  skipped: SkippedDevice[];
}

export function planNamespace(
  namespace: string,
  devices: Device[],
  models: DeviceModel[],
): NamespacePlan {
  const byNode = new Map<string, Device[]>();
  const skipped: SkippedDevice[] = [];
  for (const device of devices) {
    if (device.metadata?.namespace !== namespace) continue;
    const node = boundNode(device);
    if (!node) {
      skipped.push({ id: deviceId(device), reason: "the node selector names no node" });
      continue;
    }
    byNode.set(node, [...(byNode.get(node) ?? []), device]);
  }
  const profiles: DesiredProfile[] = [];
  for (const node of [...byNode.keys()].sort()) {
    const built = buildProfile(byNode.get(node)!, models);
    skipped.push(...built.skipped);
    if (built.profile.deviceInstances.length === 0) continue;
    profiles.push({
      namespace,
      node,
      document: renderProfile(built.profile),
      deviceCount: built.profile.deviceInstances.length,
    });
  }
  return { namespace, profiles, skipped };
}
