import { Capability } from "pepr";

/** Pods bound for edge nodes: refuse what the edge agent cannot run, tolerate the edge taint. */
export const EdgePodsCapability = new Capability({
  name: "edge-pods",
  description: "Admission for pods that target edge nodes",
});

export const { When } = EdgePodsCapability;
