import { Capability } from "pepr";

/**
 * Edge nodes: KubeEdge's defaults for Nodes that join as edge nodes, and the node restriction
 * for Devices (a node writes only reported values, state and last-online time of its own
 * devices). No `namespaces` here: Nodes are cluster-scoped and Pepr would drop them otherwise.
 */
export const EdgeNodesCapability = new Capability({
  name: "edge-nodes",
  description: "Edge node defaults and the node restriction for Device writes",
});

export const { When } = EdgeNodesCapability;
