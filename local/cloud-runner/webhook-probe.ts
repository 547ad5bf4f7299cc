/**
 * Knowing when the apiserver has loaded new webhook configurations: it picks them up through an
 * informer, a moment after the write. Starting tests before that lets the first writes through
 * unchecked, so the runner waits for proof instead of sleeping.
 */
import { eventually } from "@kubeedge-ts/testkit";
import type { Kube } from "../kube/kube.js";
import { PROBE_WEBHOOK_SUFFIX, type WebhookKind } from "./webhook-config.js";

export const PROBE_LABEL = "kubeedge-ts.dev/webhook-probe";

async function probeOnce(kube: Kube, type: WebhookKind): Promise<boolean> {
  try {
    await kube.client.create("/api/v1/namespaces/default/configmaps?dryRun=All", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: "kubeedge-ts-webhook-probe",
        namespace: "default",
        labels: { [PROBE_LABEL]: type },
      },
    });
    return false;
  } catch (err) {
    // The dry run fails through our probe webhook once the configuration is live.
    const text = err instanceof Error ? err.message : String(err);
    return text.includes(PROBE_WEBHOOK_SUFFIX);
  }
}

export async function waitForWebhooksLive(
  kube: Kube,
  types: WebhookKind[],
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const type of types) {
    await eventually(
      `the apiserver to load the ${type} webhooks`,
      () => probeOnce(kube, type),
      Math.max(0, deadline - Date.now()),
      100,
    );
  }
}
