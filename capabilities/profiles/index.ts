/**
 * Bindings of the device-profiles capability. Every callback only marks work for the
 * reconciler's queue (see reconciler.ts for why).
 */
import { a, Log } from "pepr";
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from "@kubeedge-ts/contract";
import { ProfilesCapability, When } from "./capability.js";
import { KubeClient } from "./kube-client.js";
import { Device, DeviceModel } from "../../crds/index.js";
import { ProfileReconciler } from "./reconciler.js";
import { DeviceChangeFilter } from "./device-changes.js";

export const FIELD_MANAGER = "kubeedge-ts-profiles";

let reconciler: ProfileReconciler | undefined;
/** Created on first use: in Pepr's build mode there is no cluster to talk to. */
function queue(): ProfileReconciler {
  reconciler ??= new ProfileReconciler(
    KubeClient.fromEnvironment(FIELD_MANAGER),
    Log.child({ component: "device-profiles" }),
  );
  return reconciler;
}

const byNamespace = (o: { metadata?: { namespace?: string } }): void =>
  queue().enqueueNamespace(o.metadata?.namespace);

// Status writes of the nodes (reported twins, state) change no profile: filtered out here.
const deviceChanges = new DeviceChangeFilter();
When(Device)
  .IsCreatedOrUpdated()
  .Watch(device => {
    if (deviceChanges.changed(device)) byNamespace(device);
  });
When(Device)
  .IsDeleted()
  .Watch(device => {
    deviceChanges.forget(device);
    byNamespace(device);
  });
When(DeviceModel).IsCreatedOrUpdated().Watch(byNamespace);
When(DeviceModel).IsDeleted().Watch(byNamespace);

// Restores hand-edited or deleted profiles and reader grants (our own writes come back here
// too; the pass that follows finds nothing to do).
When(a.ConfigMap)
  .IsCreatedOrUpdated()
  .WithLabel(MANAGED_BY_LABEL, MANAGED_BY_VALUE)
  .Watch(byNamespace);
When(a.ConfigMap).IsDeleted().WithLabel(MANAGED_BY_LABEL, MANAGED_BY_VALUE).Watch(byNamespace);
When(a.Role).IsDeleted().WithLabel(MANAGED_BY_LABEL, MANAGED_BY_VALUE).Watch(byNamespace);
When(a.RoleBinding).IsDeleted().WithLabel(MANAGED_BY_LABEL, MANAGED_BY_VALUE).Watch(byNamespace);

// A Node that registers after its devices were created gets its annotation when first seen;
// readiness changes move its devices to and from state "unknown".
When(a.Node)
  .IsCreatedOrUpdated()
  .Watch(node => queue().observeNode(node));

export { ProfilesCapability as Profiles };
