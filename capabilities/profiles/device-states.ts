/**
 * Applies a node's readiness to the state of its devices (rules in node-state.ts).
 */
import { KubeClient } from "./kube-client.js";
import { devicePaths } from "./objects.js";
import { deviceStatePatch, devicesOfNode, type Readiness } from "./node-state.js";
import type { Device } from "../../crds/index.js";

/** Returns how many devices were patched. */
export async function syncDeviceStates(
  client: KubeClient,
  node: string,
  readiness: Readiness,
): Promise<number> {
  // Cluster-wide list filtered by node selector: the node label comes from a webhook and may
  // be missing on devices created while the module was down.
  const devices = devicesOfNode(await client.list<Device>(devicePaths.allDevices()), node);
  let patched = 0;
  for (const device of devices) {
    const patch = deviceStatePatch(device, readiness);
    if (!patch) continue;
    await client.patch(
      devicePaths.device(device.metadata!.namespace!, device.metadata!.name!),
      patch,
    );
    patched++;
  }
  return patched;
}
