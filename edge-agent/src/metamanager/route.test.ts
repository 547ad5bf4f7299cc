import { describe, expect, it } from "vitest";
import { Group, Operation } from "../beehive/names.js";
import type { KubeObject } from "../kube/client.js";
import { parseNamespaces, podReferences } from "./references.js";
import { routeChange, type MetaChange } from "./route.js";
import type { StoredObject } from "../store/meta-store.js";

const pod = (
  uid: string,
  generation = 1,
  extra: Partial<KubeObject["metadata"]> = {},
): KubeObject => ({
  kind: "Pod",
  metadata: { name: "web", namespace: "default", uid, generation, ...extra },
});
const stored = (o: KubeObject): StoredObject<KubeObject> => ({
  kind: "Pod",
  namespace: "default",
  name: "web",
  uid: o.metadata.uid ?? "",
  resourceVersion: "1",
  generation: o.metadata.generation ?? 0,
  object: o,
  updatedAt: 0,
});

describe("routeChange", () => {
  it.each<[string, MetaChange, [string, string][]]>([
    [
      "a new pod starts",
      { op: "insert", kind: "Pod", object: pod("a") },
      [[Group.Edged, Operation.Insert]],
    ],
    [
      "a deleted pod stops",
      { op: "delete", kind: "Pod", object: pod("a") },
      [[Group.Edged, Operation.Delete]],
    ],
    [
      "a status-only update reaches nobody (no restart on reconnect)",
      { op: "update", kind: "Pod", object: pod("a"), previous: stored(pod("a")) },
      [],
    ],
    [
      "a spec change (new generation) is an update",
      { op: "update", kind: "Pod", object: pod("a", 2), previous: stored(pod("a", 1)) },
      [[Group.Edged, Operation.Update]],
    ],
    [
      "a pod re-created under the same name (new uid) is stop + start",
      { op: "update", kind: "Pod", object: pod("b"), previous: stored(pod("a")) },
      [
        [Group.Edged, Operation.Delete],
        [Group.Edged, Operation.Insert],
      ],
    ],
    [
      "a pod starting to terminate is an update",
      {
        op: "update",
        kind: "Pod",
        object: pod("a", 1, { deletionTimestamp: "2026-01-01T00:00:00Z" }),
        previous: stored(pod("a")),
      },
      [[Group.Edged, Operation.Update]],
    ],
    [
      "a device profile goes to the twin group",
      {
        op: "update",
        kind: "ConfigMap",
        object: { metadata: { name: "device-profile-config-n1", namespace: "d" } },
      },
      [[Group.Twin, Operation.Update]],
    ],
    [
      "other configmaps go to edged",
      { op: "insert", kind: "Secret", object: { metadata: { name: "s", namespace: "d" } } },
      [[Group.Edged, Operation.Insert]],
    ],
    ["nodes reach nobody", { op: "update", kind: "Node", object: { metadata: { name: "n" } } }, []],
  ])("%s", (_name, change, want) => {
    expect(routeChange(change).map(d => [d.group, d.operation])).toEqual(want);
  });

  it("keys resources as namespace/kind/name", () => {
    const [d] = routeChange({ op: "insert", kind: "Pod", object: pod("a") });
    expect(d?.resource).toBe("default/pod/web");
  });
});

describe("podReferences", () => {
  it("finds configmaps and secrets in volumes, projections, env, envFrom and pull secrets", () => {
    const p: KubeObject = {
      metadata: { name: "p", namespace: "ns" },
      spec: {
        volumes: [
          { name: "a", configMap: { name: "cm-vol" } },
          { name: "b", secret: { secretName: "sec-vol" } },
          {
            name: "c",
            projected: {
              sources: [{ configMap: { name: "kube-root-ca.crt" } }, { serviceAccountToken: {} }],
            },
          },
        ],
        initContainers: [{ envFrom: [{ secretRef: { name: "sec-envfrom" } }] }],
        containers: [
          {
            env: [
              { name: "X", valueFrom: { configMapKeyRef: { name: "cm-env", key: "k" } } },
              { name: "Y", value: "plain" },
            ],
            envFrom: [{ configMapRef: { name: "cm-vol" } }],
          },
        ],
        imagePullSecrets: [{ name: "pull" }],
      },
    };
    expect(podReferences(p).map(r => `${r.namespace}/${r.kind}/${r.name}`)).toEqual([
      "ns/ConfigMap/cm-env",
      "ns/ConfigMap/cm-vol",
      "ns/ConfigMap/kube-root-ca.crt",
      "ns/Secret/pull",
      "ns/Secret/sec-envfrom",
      "ns/Secret/sec-vol",
    ]);
  });

  it("returns nothing for a pod without spec", () => {
    expect(podReferences({ metadata: { name: "p" } })).toEqual([]);
  });
});

describe("parseNamespaces", () => {
  it.each([
    [undefined, []],
    ["", []],
    ["b, a ,a", ["a", "b"]],
    ["ok,Not_Valid,,x", ["ok", "x"]],
  ])("%j → %j", (input, want) => {
    expect(parseNamespaces(input)).toEqual(want);
  });
});
