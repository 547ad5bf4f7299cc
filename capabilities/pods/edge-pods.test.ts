import { describe, expect, it } from "vitest";
import type { NodeLike } from "../nodes/edge-defaults.js";
import { edgePodDenial, targetsEdgeNodes, withEdgeToleration, type PodLike } from "./edge-pods.js";

const EDGE = "node-role.kubernetes.io/edge";
const NODES: NodeLike[] = [
  { metadata: { name: "edge-1", labels: { [EDGE]: "", modbus: "true" } } },
  { metadata: { name: "edge-2", labels: { [EDGE]: "", zone: "a" } } },
  { metadata: { name: "cloud-1", labels: { zone: "a" } } },
];

const pod = (spec: PodLike["spec"]): PodLike => ({
  metadata: { name: "p", namespace: "ns" },
  spec,
});
const tokenVolume = {
  name: "kube-api-access-x",
  projected: {
    sources: [
      { serviceAccountToken: { path: "token" } },
      { configMap: { name: "kube-root-ca.crt" } },
      { downwardAPI: {} },
    ],
  },
};

describe("targetsEdgeNodes", () => {
  it.each([
    { name: "bound to an edge node", spec: { nodeName: "edge-1" }, want: true },
    { name: "bound to a cloud node", spec: { nodeName: "cloud-1" }, want: false },
    { name: "selecting the edge role", spec: { nodeSelector: { [EDGE]: "" } }, want: true },
    {
      name: "a selector only edge nodes match",
      spec: { nodeSelector: { modbus: "true" } },
      want: true,
    },
    {
      name: "a selector cloud nodes match too",
      spec: { nodeSelector: { zone: "a" } },
      want: false,
    },
    {
      name: "a selector no node matches",
      spec: { nodeSelector: { bluetooth: "true" } },
      want: false,
    },
    {
      name: "requiring the edge role by affinity",
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: EDGE, operator: "Exists" }] }],
            },
          },
        },
      },
      want: true,
    },
    { name: "without any placement", spec: {}, want: false },
  ])("$name: $want", ({ spec, want }) => {
    expect(targetsEdgeNodes(pod(spec as PodLike["spec"]), NODES)).toBe(want);
  });
});

describe("edgePodDenial", () => {
  it("allows configMap, secret, emptyDir, hostPath and the service-account token volume", () => {
    const volumes = [
      { name: "a", configMap: { name: "c" } },
      { name: "b", secret: { secretName: "s" } },
      { name: "c", emptyDir: {} },
      { name: "d", hostPath: { path: "/dev" } },
      tokenVolume,
    ];
    expect(edgePodDenial(pod({ volumes }))).toBeUndefined();
  });

  it("names every unsupported volume with its type", () => {
    const volumes = [
      { name: "data", persistentVolumeClaim: { claimName: "x" } },
      { name: "ok", emptyDir: {} },
      { name: "share", nfs: { server: "s", path: "/" } },
    ];
    expect(edgePodDenial(pod({ volumes }))).toBe(
      "Pod ns/p targets edge nodes, whose agent runs only configMap, secret, emptyDir, hostPath and projected service-account token volumes: " +
        'spec.volumes[0] ("data"): volume type persistentVolumeClaim is not supported on edge nodes; ' +
        'spec.volumes[2] ("share"): volume type nfs is not supported on edge nodes',
    );
  });

  it("refuses projected sources beyond the service-account token volume's", () => {
    const volumes = [{ name: "p", projected: { sources: [{ clusterTrustBundle: {} }] } }];
    expect(edgePodDenial(pod({ volumes }))).toMatch(
      /spec.volumes\[0\] \("p"\): projected source clusterTrustBundle is not supported/,
    );
  });
});

describe("withEdgeToleration", () => {
  const edgeToleration = { key: EDGE, operator: "Exists", effect: "NoSchedule" };
  it.each([
    { name: "adds it to a pod without tolerations", given: undefined, want: [edgeToleration] },
    {
      name: "appends it to other tolerations",
      given: [{ key: "x", operator: "Exists" }],
      want: [{ key: "x", operator: "Exists" }, edgeToleration],
    },
    {
      name: "keeps a pod that tolerates it already",
      given: [{ key: EDGE, operator: "Exists", effect: "NoSchedule" }],
      want: [edgeToleration],
    },
    {
      name: "keeps a pod that tolerates everything",
      given: [{ operator: "Exists" }],
      want: [{ operator: "Exists" }],
    },
  ])("$name", ({ given, want }) => {
    expect(withEdgeToleration(given)).toEqual(want);
  });
});
