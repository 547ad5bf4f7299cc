import { describe, expect, it } from "vitest";
import {
  scopedWebhooks,
  webhookConfigurations,
  webhookRules,
  type ExportedCapability,
} from "./webhook-config.js";

const device = {
  group: "devices.kubeedge.io",
  version: "v1alpha2",
  kind: "Device",
  plural: "devices",
};
const pod = { group: "", version: "v1", kind: "Pod" };
const node = { group: "", version: "v1", kind: "Node" };

const caps: ExportedCapability[] = [
  {
    name: "devices",
    bindings: [
      { event: "CREATEORUPDATE", isMutate: true, kind: device },
      { event: "CREATEORUPDATE", isValidate: true, kind: device },
      { event: "CREATEORUPDATE", isValidate: true, kind: device },
      { event: "DELETE", isValidate: true, kind: device },
      { event: "CREATE", isWatch: true, kind: device },
    ],
  },
  { name: "pods", bindings: [{ event: "CREATE", isMutate: true, kind: pod }] },
  { name: "nodes", bindings: [{ event: "CREATEORUPDATE", isMutate: true, kind: node }] },
];

const target = {
  name: "pepr-test",
  baseUrl: "https://127.0.0.1:4321",
  apiPath: "abc",
  caPem: "PEM",
  failurePolicy: "Fail" as const,
  timeoutSeconds: 10,
  ignoredNamespaces: ["kube-system", "pepr-system"],
};

describe("webhookRules", () => {
  it.each([
    [
      "mutate",
      [
        {
          apiGroups: ["devices.kubeedge.io"],
          apiVersions: ["v1alpha2"],
          operations: ["CREATE", "UPDATE"],
          resources: ["devices"],
        },
        {
          apiGroups: [""],
          apiVersions: ["v1"],
          operations: ["CREATE"],
          resources: ["pods", "pods/ephemeralcontainers"],
        },
        {
          apiGroups: [""],
          apiVersions: ["v1"],
          operations: ["CREATE", "UPDATE"],
          resources: ["nodes"],
        },
      ],
    ],
    [
      "validate",
      [
        {
          apiGroups: ["devices.kubeedge.io"],
          apiVersions: ["v1alpha2"],
          operations: ["CREATE", "UPDATE"],
          resources: ["devices"],
        },
        {
          apiGroups: ["devices.kubeedge.io"],
          apiVersions: ["v1alpha2"],
          operations: ["DELETE"],
          resources: ["devices"],
        },
      ],
    ],
  ] as const)("derives deduplicated %s rules from the bindings", (type, expected) => {
    expect(webhookRules(caps, type)).toEqual(expected);
  });

  it("ignores watch-only bindings", () => {
    expect(
      webhookRules(
        [{ name: "w", bindings: [{ event: "CREATE", isWatch: true, kind: pod }] }],
        "mutate",
      ),
    ).toEqual([]);
  });
});

describe("webhookConfigurations", () => {
  it("points at the local URL with the CA bundle and no side effects", () => {
    const [mutating, validating] = webhookConfigurations(caps, target);
    expect(mutating.kind).toBe("MutatingWebhookConfiguration");
    expect(validating.kind).toBe("ValidatingWebhookConfiguration");
    const hook = validating.webhooks![0];
    expect(hook.clientConfig.url).toBe("https://127.0.0.1:4321/validate/abc");
    expect(hook.clientConfig.caBundle).toBe(Buffer.from("PEM").toString("base64"));
    expect(hook.sideEffects).toBe("None");
    expect(hook.failurePolicy).toBe("Fail");
    expect(hook.namespaceSelector!.matchExpressions![0].values).toEqual([
      "kube-system",
      "pepr-system",
    ]);
  });

  it("omits a configuration without rules", () => {
    const onlyWatch: ExportedCapability[] = [
      { name: "w", bindings: [{ event: "CREATE", isWatch: true, kind: pod }] },
    ];
    expect(webhookConfigurations(onlyWatch, target)).toEqual([]);
  });

  it("adds a probe webhook that matches only labelled ConfigMaps and fails every call", () => {
    const [mutating] = webhookConfigurations(caps, { ...target, probeLabel: "probe" });
    const probe = mutating.webhooks!.find(w => w.name.endsWith("probe.kubeedge-ts.dev"))!;
    expect(probe.objectSelector).toEqual({ matchLabels: { probe: "mutate" } });
    expect(probe.clientConfig.url).toBe("https://127.0.0.1:4321/mutate/probe");
    expect(probe.failurePolicy).toBe("Fail");
  });
});

describe("scoped webhooks (a stopped module blocks only what it acts on)", () => {
  const [mutating] = webhookConfigurations(caps, target);
  const hook = (name: string) => mutating.webhooks!.find(w => w.name === name)!;

  it("keeps the module's own kinds in the webhook named like Pepr's, unselected", () => {
    const own = hook("pepr-test.pepr.dev");
    expect(own.rules!.map(r => r.resources)).toEqual([["devices"]]);
    expect(own.objectSelector).toBeUndefined();
    expect(own.matchConditions).toBeUndefined();
  });

  it("sends only Nodes with the edge role label to the Node webhook", () => {
    const nodes = hook("nodes.pepr-test.pepr.dev");
    expect(nodes.rules!.map(r => r.resources)).toEqual([["nodes"]]);
    expect(nodes.objectSelector).toEqual({
      matchExpressions: [{ key: "node-role.kubernetes.io/edge", operator: "Exists" }],
    });
    expect(nodes.matchConditions![0].expression).toContain("oldObject");
  });

  it("sends only pods with a node name, selector or required affinity to the Pod webhook", () => {
    const pods = hook("pods.pepr-test.pepr.dev");
    expect(pods.rules!.map(r => r.resources)).toEqual([["pods", "pods/ephemeralcontainers"]]);
    expect(pods.matchConditions![0].expression).toContain("object.spec.nodeSelector");
    expect(pods.failurePolicy).toBe("Fail");
  });

  it("narrows the single webhook `pepr build` generates the same way", () => {
    const pepr = { ...hook("pepr-test.pepr.dev"), rules: webhookRules(caps, "mutate") };
    expect(scopedWebhooks(pepr).map(w => w.name)).toEqual([
      "pepr-test.pepr.dev",
      "pods.pepr-test.pepr.dev",
      "nodes.pepr-test.pepr.dev",
    ]);
  });
});
