import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { narrowBuildOutput } from "./narrow-build-output.js";

// The shape `pepr build` writes (node_modules/pepr/src/lib/assets/webhooks.ts): one webhook
// with every rule, Fail on error, the always-ignored namespaces.
const peprOutput = `apiVersion: v1
kind: Namespace
metadata:
  name: pepr-system
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: pepr-kubeedge-ts
webhooks:
  - name: pepr-kubeedge-ts.pepr.dev
    admissionReviewVersions: [v1, v1beta1]
    clientConfig:
      caBundle: Q0E=
      service: { name: pepr-kubeedge-ts, namespace: pepr-system, path: /mutate/abc }
    failurePolicy: Fail
    matchPolicy: Equivalent
    timeoutSeconds: 10
    namespaceSelector:
      matchExpressions:
        - { key: kubernetes.io/metadata.name, operator: NotIn, values: [kube-system, pepr-system] }
    rules:
      - { apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [nodes] }
      - apiGroups: [devices.kubeedge.io]
        apiVersions: [v1alpha2]
        operations: [CREATE, UPDATE]
        resources: [devices]
      - { apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods] }
    sideEffects: None
`;

describe("narrowBuildOutput", () => {
  const docs = parseAllDocuments(narrowBuildOutput(peprOutput)).map(d => d.toJS());

  it("passes other documents through", () => {
    expect(docs[0]).toEqual({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "pepr-system" },
    });
  });

  it("splits pepr build's webhook like the cloud runner's, keeping its client config", () => {
    const hooks = docs[1].webhooks as {
      name: string;
      clientConfig: unknown;
      matchConditions?: unknown[];
    }[];
    expect(hooks.map(h => h.name)).toEqual([
      "nodes.pepr-kubeedge-ts.pepr.dev",
      "pepr-kubeedge-ts.pepr.dev",
      "pods.pepr-kubeedge-ts.pepr.dev",
    ]);
    expect(hooks[0].clientConfig).toEqual(hooks[1].clientConfig);
    expect(hooks[0].matchConditions).toHaveLength(1);
    expect(hooks[1].matchConditions).toBeUndefined();
  });
});
