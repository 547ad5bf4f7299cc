import { describe, expect, it } from "vitest";
import {
  deviceStatePatch,
  devicesOfNode,
  nodeReadiness,
  STATE_BEFORE_UNKNOWN_ANNOTATION as SAVED,
} from "./node-state.js";
import type { Device, DeviceStatus } from "../../crds/index.js";

const cond = (status?: string) => ({
  status: {
    conditions: status
      ? [
          { type: "MemoryPressure", status: "False" },
          { type: "Ready", status },
        ]
      : [],
  },
});

describe("nodeReadiness", () => {
  it.each([
    ["True", "ready"],
    ["False", "not-ready"],
    ["Unknown", "not-ready"],
    [undefined, undefined],
  ])("Ready=%s is %s", (status, expected) => {
    expect(nodeReadiness(cond(status))).toBe(expected);
  });
});

const dev = (state?: string, saved?: string): Device => ({
  metadata: {
    name: "d",
    namespace: "ns",
    annotations: saved === undefined ? {} : { [SAVED]: saved },
  },
  // A test names states as the wire has them; the generated type is an enum of those strings.
  status: { state } as DeviceStatus,
});

describe("deviceStatePatch", () => {
  it.each<[string, Device, "ready" | "not-ready", object | undefined]>([
    [
      "marks an online device unknown and keeps its state",
      dev("online"),
      "not-ready",
      { metadata: { annotations: { [SAVED]: "online" } }, status: { state: "unknown" } },
    ],
    [
      "marks a device without state unknown",
      dev(undefined),
      "not-ready",
      { metadata: { annotations: { [SAVED]: "" } }, status: { state: "unknown" } },
    ],
    ["leaves an already marked device alone", dev("unknown", "online"), "not-ready", undefined],
    [
      "restores the saved state",
      dev("unknown", "online"),
      "ready",
      { metadata: { annotations: { [SAVED]: null } }, status: { state: "online" } },
    ],
    [
      "leaves a device that never had a state unknown",
      dev("unknown", ""),
      "ready",
      { metadata: { annotations: { [SAVED]: null } } },
    ],
    [
      "keeps a state reported meanwhile",
      dev("offline", "online"),
      "ready",
      { metadata: { annotations: { [SAVED]: null } } },
    ],
    ["does nothing for a device it never marked", dev("online"), "ready", undefined],
  ])("%s", (_, device, readiness, expected) => {
    expect(deviceStatePatch(device, readiness)).toEqual(expected);
  });
});

describe("devicesOfNode", () => {
  it("selects devices by their node selector", () => {
    const on = (node: string): Device => ({
      spec: {
        nodeSelector: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: "", operator: "In", values: [node] }] }],
        },
      },
    });
    const devices = [on("a"), on("b"), on("a")];
    expect(devicesOfNode(devices, "a")).toHaveLength(2);
  });
});
