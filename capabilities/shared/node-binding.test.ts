import { DEVICE_NODE_LABEL } from "@kubeedge-ts/contract";
import { describe, expect, it } from "vitest";
import { boundNode, resolveNode, type BindableDevice } from "./node-binding.js";
import { formatProblem } from "./problems.js";

const TERM = "spec.nodeSelector.nodeSelectorTerms[0]";
const EXPR = `${TERM}.matchExpressions[0]`;

function selecting(req: object, field = "matchExpressions"): BindableDevice {
  return { spec: { nodeSelector: { nodeSelectorTerms: [{ [field]: [req] }] } } };
}

function labelled(device: BindableDevice, node: string): BindableDevice {
  return { ...device, metadata: { labels: { [DEVICE_NODE_LABEL]: node } } };
}

/** What resolveNode says: the node, or the problem as admission words it. */
function resolved(device: BindableDevice): string {
  const binding = resolveNode(device);
  return "node" in binding ? `node ${binding.node}` : formatProblem(binding.problem);
}

describe("node binding", () => {
  it.each<[string, BindableDevice, string, string | undefined]>([
    ["empty key", selecting({ key: "", operator: "In", values: ["n1"] }), "node n1", "n1"],
    [
      "hostname key",
      selecting({ key: "kubernetes.io/hostname", operator: "In", values: ["n2"] }),
      "node n2",
      "n2",
    ],
    [
      "matchFields metadata.name",
      selecting({ key: "metadata.name", operator: "In", values: ["n3"] }, "matchFields"),
      "node n3",
      "n3",
    ],
    [
      "metadata.name under matchExpressions",
      selecting({ key: "metadata.name", operator: "In", values: ["n3"] }),
      `${EXPR}.key: "metadata.name" must be "" or "kubernetes.io/hostname" to name a node`,
      undefined,
    ],
    [
      "two values",
      selecting({ key: "", operator: "In", values: ["a", "b"] }),
      `${EXPR}.values: ["a","b"] must hold exactly one node name`,
      undefined,
    ],
    [
      "NotIn",
      selecting({ key: "", operator: "NotIn", values: ["a"] }),
      `${EXPR}.operator: "NotIn" must be In to name a node`,
      undefined,
    ],
    [
      "a label key",
      selecting({ key: "zone", operator: "In", values: ["a"] }),
      `${EXPR}.key: "zone" must be "" or "kubernetes.io/hostname" to name a node`,
      undefined,
    ],
    [
      "not a node name",
      selecting({ key: "", operator: "In", values: ["Edge_1"] }),
      `${EXPR}.values[0]: "Edge_1" is not a valid node name`,
      undefined,
    ],
    [
      "two terms",
      {
        spec: {
          nodeSelector: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: "", operator: "In", values: ["a"] }] },
              { matchExpressions: [{ key: "", operator: "In", values: ["b"] }] },
            ],
          },
        },
      },
      "spec.nodeSelector.nodeSelectorTerms: 2 must hold exactly one term",
      undefined,
    ],
    [
      "two requirements",
      {
        spec: {
          nodeSelector: {
            nodeSelectorTerms: [
              {
                matchExpressions: [{ key: "", operator: "In", values: ["a"] }],
                matchFields: [{ key: "metadata.name", operator: "In", values: ["a"] }],
              },
            ],
          },
        },
      },
      `${TERM}: must hold exactly one requirement (matchExpressions or matchFields) naming the node`,
      undefined,
    ],
    [
      "no selector",
      {},
      "spec.nodeSelector: is required: it names the edge node of the device",
      undefined,
    ],
  ])("%s", (_, device, resolution, bound) => {
    expect(resolved(device)).toBe(resolution);
    expect(boundNode(device)).toBe(bound);
    // The label is the fallback for a selector that names no node, never an override.
    expect(boundNode(labelled(device, "from-label"))).toBe(bound ?? "from-label");
  });
});
