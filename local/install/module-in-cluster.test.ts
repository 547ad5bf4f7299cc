import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { moduleManifestObjects } from "./module-in-cluster.js";

const webhook = (kind: string) => ({
  apiVersion: "admissionregistration.k8s.io/v1",
  kind,
  metadata: { name: "pepr-kubeedge-ts" },
  webhooks: [],
});
const manifest = [
  { apiVersion: "v1", kind: "Namespace", metadata: { name: "pepr-system" } },
  webhook("MutatingWebhookConfiguration"),
  {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "pepr-kubeedge-ts", namespace: "pepr-system" },
  },
  webhook("ValidatingWebhookConfiguration"),
  {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "pepr-kubeedge-ts", namespace: "pepr-system" },
  },
]
  .map(d => stringify(d))
  .join("---\n");

describe("moduleManifestObjects", () => {
  it("keeps the manifest's order but puts the webhook configurations last", () => {
    expect(moduleManifestObjects(manifest).map(o => o.kind)).toEqual([
      "Namespace",
      "Deployment",
      "Service",
      "MutatingWebhookConfiguration",
      "ValidatingWebhookConfiguration",
    ]);
  });
});
