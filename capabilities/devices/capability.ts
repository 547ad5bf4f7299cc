import { Capability } from "pepr";

/**
 * Devices: validation and defaults for users' DeviceModel and Device writes. Requests from edge
 * nodes are left to the nodes capability, which owns the node restriction.
 */
export const DevicesCapability = new Capability({
  name: "devices",
  description: "Validates and defaults KubeEdge DeviceModels and Devices",
});

export const { When } = DevicesCapability;
