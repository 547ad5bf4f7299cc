import { Capability } from "pepr";

/**
 * Device profiles: keeps one `device-profile-config-<node>` ConfigMap per edge node and
 * namespace, the per-node reader Role/RoleBinding and the Node's device-namespaces annotation.
 * No `namespaces` restriction: Nodes are cluster-scoped and Pepr would drop them otherwise.
 */
export const ProfilesCapability = new Capability({
  name: "device-profiles",
  description: "Device profile ConfigMaps, per-node read access and device state of edge nodes",
});

export const { When, Store } = ProfilesCapability;
