import { EDGE_AGENT_LABEL, EDGE_NODE_ROLE_LABEL } from "@kubeedge-ts/contract";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../config/defaults.js";
import { Backoff } from "./backoff.js";
import { TEST_HOST } from "../util/testdata/host.js";
import { buildLease, buildNode, buildNodeStatus, microTime, type NodeCondition } from "./node.js";

const host = TEST_HOST;
const edged = defaultConfig().modules.edged;

describe("buildNode", () => {
  it("carries the edge-agent marker, allowed self labels, capacity and a Ready condition", () => {
    const node = buildNode("edge-1", host, { ...edged, labels: { modbus: "true" } }, new Date(0));
    // The role label itself is the cloud's to add: NodeRestriction refuses it from the node.
    expect(node.metadata.labels?.[EDGE_NODE_ROLE_LABEL]).toBeUndefined();
    expect(node.metadata.labels).toMatchObject({
      [EDGE_AGENT_LABEL]: "kubeedge-ts",
      "kubernetes.io/hostname": "edge-1",
      "kubernetes.io/arch": "arm64",
      modbus: "true",
    });
    const status = node.status as {
      allocatable: Record<string, string>;
      addresses: { type: string; address: string }[];
      conditions: NodeCondition[];
    };
    expect(status.allocatable).toEqual({ cpu: "4", memory: "4194304Ki", pods: "110" });
    expect(status.addresses).toContainEqual({ type: "InternalIP", address: "10.0.0.5" });
    expect(status.conditions.find(c => c.type === "Ready")?.status).toBe("True");
  });

  it("honours configured cpu and memory", () => {
    const s = buildNodeStatus(
      host,
      { ...edged, cpu: "2", memory: "1Gi", maxPods: 10 },
      new Date(0),
      [],
    );
    expect(s.capacity).toEqual({ cpu: "2", memory: "1Gi", pods: "10" });
  });

  it("reports the runtime's version and images once edged has told them", () => {
    const before = buildNodeStatus(host, edged, new Date(0), []);
    expect(before.images).toBeUndefined();
    expect(before.nodeInfo).toMatchObject({
      containerRuntimeVersion: expect.stringMatching(/^remote:\/\//),
    });
    const images = [{ names: ["docker.io/x/y:1"], sizeBytes: 42 }];
    const after = buildNodeStatus(host, edged, new Date(0), [], {
      containerRuntimeVersion: "containerd://1.6.20",
      images,
    });
    expect(after.images).toEqual(images);
    expect(after.nodeInfo).toMatchObject({ containerRuntimeVersion: "containerd://1.6.20" });
  });

  it("keeps lastTransitionTime while a condition keeps its status", () => {
    const first = buildNodeStatus(host, edged, new Date(1000_000), [])
      .conditions as NodeCondition[];
    const later = buildNodeStatus(host, edged, new Date(2000_000), first)
      .conditions as NodeCondition[];
    const ready = later.find(c => c.type === "Ready")!;
    expect(ready.lastTransitionTime).toBe(first.find(c => c.type === "Ready")!.lastTransitionTime);
    expect(ready.lastHeartbeatTime).not.toBe(ready.lastTransitionTime);
  });
});

describe("buildLease", () => {
  it("is owned by the node and renews in MicroTime", () => {
    const lease = buildLease("edge-1", "uid-1", 40, new Date(Date.UTC(2026, 0, 1, 0, 0, 0, 123)));
    expect(lease.metadata).toMatchObject({ name: "edge-1", namespace: "kube-node-lease" });
    expect(lease.metadata.ownerReferences).toEqual([
      { apiVersion: "v1", kind: "Node", name: "edge-1", uid: "uid-1" },
    ]);
    expect(lease.spec).toMatchObject({
      holderIdentity: "edge-1",
      leaseDurationSeconds: 40,
      renewTime: "2026-01-01T00:00:00.123000Z",
    });
    expect(microTime(new Date(0))).toBe("1970-01-01T00:00:00.000000Z");
  });
});

describe("Backoff", () => {
  it("doubles up to the cap with jitter in [base/2, base]", () => {
    const low = new Backoff(100, 1000, () => 0);
    expect([low.next(), low.next(), low.next(), low.next(), low.next()]).toEqual([
      50, 100, 200, 400, 500,
    ]);
    const high = new Backoff(100, 1000, () => 1);
    expect([high.next(), high.next()]).toEqual([100, 200]);
    high.reset();
    expect(high.next()).toBe(100);
  });
});
