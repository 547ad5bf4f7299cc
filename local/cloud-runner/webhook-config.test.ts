import { describe, expect, it } from "vitest";
import { webhookConfigurations, webhookRules, type ExportedCapability } from "./webhook-config.js";

const device = {
  group: "devices.kubeedge.io",
  version: "v1alpha2",
  kind: "Device",
  plural: "devices",
};
const pod = { group: "", version: "v1", kind: "Pod" };

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
    const probe = mutating.webhooks![1];
    expect(probe.objectSelector).toEqual({ matchLabels: { probe: "mutate" } });
    expect(probe.clientConfig.url).toBe("https://127.0.0.1:4321/mutate/probe");
    expect(probe.failurePolicy).toBe("Fail");
  });
});
