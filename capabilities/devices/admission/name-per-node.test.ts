import { describe, expect, it } from "vitest";
import type { Device } from "../../../crds/index.js";
import { namePerNodeProblems } from "./name-per-node.js";

function device(namespace: string, name: string, node: string): Device {
  return {
    metadata: { namespace, name },
    spec: {
      deviceModelRef: { name: "thermo" },
      nodeSelector: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: "", operator: "In", values: [node] }] }],
      },
    },
  } as Device;
}

describe("namePerNodeProblems", () => {
  it("refuses a second Device of the same name on the same node, naming the first", () => {
    const problems = namePerNodeProblems(device("b", "thermo", "edge-1"), [
      device("a", "thermo", "edge-1"),
    ]);
    expect(problems).toEqual([
      {
        path: "metadata.name",
        value: "thermo",
        reason:
          "is already used on node edge-1 by Device a/thermo: a device's name is its id in the " +
          "node's MQTT topics (KubeEdge v1alpha2), so it must be unique per node",
      },
    ]);
  });

  it("accepts the same name on another node, and the device's own stored copy", () => {
    const self = device("a", "thermo", "edge-1");
    expect(namePerNodeProblems(self, [self, device("b", "thermo", "edge-2")])).toEqual([]);
  });

  it("reads the other Device's node from its label when its selector names none", () => {
    const other = device("c", "thermo", "edge-9");
    other.spec!.nodeSelector = undefined;
    other.metadata!.labels = { "devices.kubeedge.io/node": "edge-1" };
    const problems = namePerNodeProblems(device("b", "thermo", "edge-1"), [other]);
    expect(problems.map(p => p.reason)).toEqual([expect.stringContaining("by Device c/thermo:")]);
  });
});
