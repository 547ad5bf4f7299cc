import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { isProbeRefusal, moduleManifestObjects } from "./module-in-cluster.js";

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

describe("isProbeRefusal", () => {
  it("recognises the module's refusal inside the apiserver's escaped Status JSON", () => {
    const refusal =
      'POST /apis/devices.kubeedge.io/v1alpha2/namespaces/default/devices?dryRun=All failed with HTTP 422: {"kind":"Status","message":"admission webhook \\"pepr-kubeedge-ts.pepr.dev\\" denied the request: Device default/kubeedge-ts-admission-probe is invalid: spec.deviceModelRef.name: \\"kubeedge-ts-admission-probe-no-such-model\\" names no DeviceModel in namespace default","code":422}';
    expect(isProbeRefusal(refusal)).toBe(true);
  });

  it("does not take a webhook that cannot be reached for the module's answer", () => {
    const unreachable =
      'failed with HTTP 500: {"message":"Internal error occurred: failed calling webhook \\"pepr-kubeedge-ts.pepr.dev\\": connect: connection refused"}';
    expect(isProbeRefusal(unreachable)).toBe(false);
    expect(isProbeRefusal("the probe Device was admitted")).toBe(false);
  });
});
