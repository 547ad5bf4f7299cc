/**
 * Webhook configurations for a module that runs outside the cluster: the same rules Pepr derives
 * from the capabilities' bindings, but with a URL clientConfig (https://<host>:<port>) and our
 * own CA, because Pepr's dev mode hard-codes port 3000.
 */
import type {
  V1MutatingWebhookConfiguration,
  V1RuleWithOperations,
  V1ValidatingWebhook,
  V1ValidatingWebhookConfiguration,
} from "@kubernetes/client-node";
import { scopeOf, type WebhookScope } from "./webhook-scopes.js";

/** The parts of a Pepr binding that survive the trip from a build-mode child over IPC. */
export interface ExportedBinding {
  event: string;
  isMutate?: boolean;
  isValidate?: boolean;
  isWatch?: boolean;
  kind: { group: string; version?: string; kind: string; plural?: string };
}

export interface ExportedCapability {
  name: string;
  bindings: ExportedBinding[];
}

export interface WebhookTarget {
  /** Pepr's webhook name, `pepr-<uuid>`, so Pepr's own tooling recognises the objects. */
  name: string;
  baseUrl: string;
  apiPath: string;
  caPem: string;
  failurePolicy: "Fail" | "Ignore";
  timeoutSeconds: number;
  ignoredNamespaces: string[];
  /** Adds a webhook that only matches ConfigMaps labelled `<key>=<mutate|validate>`. */
  probeLabel?: string;
}

export type WebhookKind = "mutate" | "validate";

export function webhookRules(
  caps: ExportedCapability[],
  type: WebhookKind,
): V1RuleWithOperations[] {
  const seen = new Set<string>();
  const rules: V1RuleWithOperations[] = [];
  for (const b of caps.flatMap(c => c.bindings)) {
    if (type === "mutate" ? !b.isMutate : !b.isValidate) continue;
    const operations = b.event === "CREATEORUPDATE" ? ["CREATE", "UPDATE"] : [b.event];
    const resource = b.kind.plural ?? `${b.kind.kind.toLowerCase()}s`;
    const rule: V1RuleWithOperations = {
      apiGroups: [b.kind.group],
      apiVersions: [b.kind.version || "*"],
      operations,
      resources: resource === "pods" ? [resource, "pods/ephemeralcontainers"] : [resource],
    };
    const key = JSON.stringify(rule);
    if (seen.has(key)) continue;
    seen.add(key);
    rules.push(rule);
  }
  return rules;
}

function webhookFor(
  target: WebhookTarget,
  type: WebhookKind,
  rules: V1RuleWithOperations[],
): V1ValidatingWebhook {
  return {
    name: `${target.name}.pepr.dev`,
    admissionReviewVersions: ["v1", "v1beta1"],
    clientConfig: {
      url: `${target.baseUrl}/${type}/${target.apiPath}`,
      caBundle: Buffer.from(target.caPem).toString("base64"),
    },
    failurePolicy: target.failurePolicy,
    matchPolicy: "Equivalent",
    timeoutSeconds: target.timeoutSeconds,
    namespaceSelector: {
      matchExpressions: [
        { key: "kubernetes.io/metadata.name", operator: "NotIn", values: target.ignoredNamespaces },
      ],
    },
    rules,
    sideEffects: "None",
  };
}

export const PROBE_WEBHOOK_SUFFIX = "probe.kubeedge-ts.dev";

/**
 * A webhook that fails every call (the module answers 401 on a wrong API path) for ConfigMaps
 * with the probe label only. A dry-run create of such a ConfigMap fails exactly when the
 * apiserver has loaded this configuration, which is how the runner knows the webhooks are live.
 */
function probeWebhook(target: WebhookTarget, type: WebhookKind): V1ValidatingWebhook[] {
  if (!target.probeLabel) return [];
  const rule = {
    apiGroups: [""],
    apiVersions: ["v1"],
    operations: ["CREATE"],
    resources: ["configmaps"],
  };
  const hook = webhookFor(target, type, [rule]);
  return [
    {
      ...hook,
      name: `${type}-${target.name}.${PROBE_WEBHOOK_SUFFIX}`,
      clientConfig: { ...hook.clientConfig, url: `${target.baseUrl}/${type}/probe` },
      failurePolicy: "Fail",
      timeoutSeconds: 2,
      namespaceSelector: { matchExpressions: [] },
      objectSelector: { matchLabels: { [target.probeLabel]: type } },
    },
  ];
}

/**
 * Splits one webhook (ours, or the one `pepr build` generates) into one for the module's own
 * kinds, named as before so Pepr's tooling recognises it, and one per core kind in
 * webhook-scopes.ts, narrowed to the objects its handler acts on.
 */
export function scopedWebhooks<T extends V1ValidatingWebhook>(hook: T): T[] {
  const byScope = new Map<WebhookScope | undefined, V1RuleWithOperations[]>();
  for (const rule of hook.rules ?? []) {
    const scope = scopeOf(rule.resources, rule.apiGroups);
    byScope.set(scope, [...(byScope.get(scope) ?? []), rule]);
  }
  return [...byScope].map(([scope, rules]) =>
    scope
      ? {
          ...hook,
          name: `${scope.prefix}.${hook.name}`,
          rules,
          ...(scope.objectSelector ? { objectSelector: scope.objectSelector } : {}),
          matchConditions: scope.matchConditions,
        }
      : { ...hook, rules },
  );
}

/** Returns the configurations that have at least one rule (the apiserver rejects empty ones). */
export function webhookConfigurations(
  caps: ExportedCapability[],
  target: WebhookTarget,
): (V1MutatingWebhookConfiguration | V1ValidatingWebhookConfiguration)[] {
  const out: (V1MutatingWebhookConfiguration | V1ValidatingWebhookConfiguration)[] = [];
  for (const [type, kind] of [
    ["mutate", "MutatingWebhookConfiguration"],
    ["validate", "ValidatingWebhookConfiguration"],
  ] as const) {
    const rules = webhookRules(caps, type);
    if (rules.length === 0) continue;
    out.push({
      apiVersion: "admissionregistration.k8s.io/v1",
      kind,
      metadata: { name: target.name },
      webhooks: [...scopedWebhooks(webhookFor(target, type, rules)), ...probeWebhook(target, type)],
    });
  }
  return out;
}

/** Both kinds, for deletion: whichever exists from this or an earlier run goes. */
export function webhookConfigurationRefs(
  name: string,
): { apiVersion: string; kind: string; metadata: { name: string } }[] {
  return ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"].map(kind => ({
    apiVersion: "admissionregistration.k8s.io/v1",
    kind,
    metadata: { name },
  }));
}
