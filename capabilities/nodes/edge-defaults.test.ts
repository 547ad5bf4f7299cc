import { describe, expect, it } from "vitest";
import {
  becomesEdgeNode,
  edgeRoleGranted,
  needsEdgeRole,
  withEdgeDefaults,
  type NodeLike,
} from "./edge-defaults.js";

const edge = (extra: NodeLike["spec"] = {}): NodeLike => ({
  metadata: { name: "edge-1", labels: { "node-role.kubernetes.io/edge": "" } },
  spec: extra,
});

describe("edge node defaults", () => {
  it("adds the agent and hostname labels and the edge NoSchedule taint", () => {
    expect(withEdgeDefaults(edge())).toEqual({
      metadata: {
        name: "edge-1",
        labels: {
          "node-role.kubernetes.io/edge": "",
          "node-role.kubernetes.io/agent": "",
          "kubernetes.io/hostname": "edge-1",
        },
      },
      spec: { taints: [{ key: "node-role.kubernetes.io/edge", effect: "NoSchedule" }] },
    });
  });

  it("keeps existing taints and does not add the edge taint twice", () => {
    const taints = [
      { key: "x", effect: "NoExecute" },
      { key: "node-role.kubernetes.io/edge", effect: "NoSchedule" },
    ];
    expect(withEdgeDefaults(edge({ taints })).spec?.taints).toEqual(taints);
  });

  it.each([
    { name: "a new edge node", node: edge(), old: undefined, want: true },
    { name: "an existing edge node", node: edge(), old: edge(), want: false },
    {
      name: "a node newly labelled edge",
      node: edge(),
      old: { metadata: { name: "edge-1" } },
      want: true,
    },
    { name: "a cloud node", node: { metadata: { name: "c" } }, old: undefined, want: false },
  ])("applies to $name: $want", ({ node, old, want }) => {
    expect(becomesEdgeNode(node, old)).toBe(want);
  });
});

describe("edge role for nodes the edge agent registered", () => {
  const marker = { "node.kubeedge.io/edge-agent": "kubeedge-ts" };
  it.each<{ name: string; labels: Record<string, string>; want: boolean }>([
    { name: "an agent node without the role", labels: marker, want: true },
    {
      name: "an agent node that has the role",
      labels: { ...marker, "node-role.kubernetes.io/edge": "" },
      want: false,
    },
    { name: "a node no agent registered", labels: { "kubernetes.io/hostname": "c" }, want: false },
  ])("$name needs the role: $want", ({ labels, want }) => {
    expect(needsEdgeRole({ metadata: { name: "n", labels } })).toBe(want);
  });
});

describe("who grants the edge role", () => {
  it("a node cannot give itself the edge role with the agent label alone", () => {
    expect(edgeRoleGranted(undefined, "self-made-edge")).toBe(false);
    expect(edgeRoleGranted({ "other-node": "admin" }, "self-made-edge")).toBe(false);
  });

  it("grants it to a node an admin put on the allow-list", () => {
    expect(edgeRoleGranted({ "edge-1": "added by admin" }, "edge-1")).toBe(true);
  });

  it.each(["__proto__", "constructor", "toString"])(
    "a node named %s is not granted by inherited properties",
    name => {
      expect(edgeRoleGranted({}, name)).toBe(false);
    },
  );
});
