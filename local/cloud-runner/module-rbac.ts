/**
 * The module's own identity in a cluster: the ServiceAccount `pepr-<uuid>` in `pepr-system`,
 * its ClusterRole and ClusterRoleBinding — the objects `pepr build` writes in scoped RBAC mode
 * (package.json `pepr.rbacMode: "scoped"`). `moduleRbac` derives them the way the build does:
 * the rules of `pepr.rbac`, plus what Pepr itself needs (its stores, its store CRD) and `watch`
 * on every kind a capability watches, verbs merged per resource. `init` installs them without
 * running the two-minute build; e2e/cloud/scoped-rbac.e2e.test.ts checks they equal the build
 * output and runs the module with that identity.
 */
import { parseAllDocuments } from "yaml";
import type { ObjectRef } from "../kube/kube.js";
import { PEPR_NAMESPACE } from "./pepr-system.js";
import type { ExportedCapability } from "./webhook-config.js";

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

export interface ModuleRbac {
  serviceAccount: ObjectRef;
  clusterRole: ObjectRef & { rules: PolicyRule[] };
  clusterRoleBinding: ObjectRef;
}

/** What Pepr's controller needs whatever the module does (pepr's helpers.ts createRBACMap). */
const PEPR_OWN_RULES: PolicyRule[] = [
  {
    apiGroups: ["pepr.dev"],
    resources: ["peprstores"],
    verbs: ["create", "get", "patch", "watch"],
  },
  {
    apiGroups: ["apiextensions.k8s.io"],
    resources: ["customresourcedefinitions"],
    verbs: ["patch", "create"],
  },
];

/** `watch` on every watched kind, in the order the bindings name them. */
function watchRules(capabilities: ExportedCapability[]): PolicyRule[] {
  const rules = new Map<string, PolicyRule>();
  for (const b of capabilities.flatMap(c => c.bindings)) {
    if (!b.isWatch) continue;
    const resource = b.kind.plural ?? `${b.kind.kind.toLowerCase()}s`;
    const key = `${b.kind.group}/${resource}`;
    if (!rules.has(key))
      rules.set(key, { apiGroups: [b.kind.group], resources: [resource], verbs: ["watch"] });
  }
  return [...rules.values()];
}

/** Rules with the same apiGroups and resources become one, their verbs merged in order. */
export function mergeRules(rules: PolicyRule[]): PolicyRule[] {
  const merged = new Map<string, PolicyRule>();
  for (const rule of rules) {
    const key = `${rule.apiGroups.join(",")}/${rule.resources.join(",")}`;
    const seen = merged.get(key);
    if (seen) seen.verbs = [...new Set([...seen.verbs, ...rule.verbs])];
    else merged.set(key, { ...rule, verbs: [...rule.verbs] });
  }
  return [...merged.values()];
}

export function moduleRbac(
  name: string,
  customRules: PolicyRule[],
  capabilities: ExportedCapability[],
): ModuleRbac {
  const subject = { kind: "ServiceAccount", name, namespace: PEPR_NAMESPACE };
  const rbac = "rbac.authorization.k8s.io";
  return {
    serviceAccount: {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name, namespace: PEPR_NAMESPACE },
    },
    clusterRole: {
      apiVersion: `${rbac}/v1`,
      kind: "ClusterRole",
      metadata: { name },
      rules: mergeRules([...customRules, ...PEPR_OWN_RULES, ...watchRules(capabilities)]),
    },
    clusterRoleBinding: {
      apiVersion: `${rbac}/v1`,
      kind: "ClusterRoleBinding",
      metadata: { name },
      roleRef: { apiGroup: rbac, kind: "ClusterRole", name },
      subjects: [subject],
    } as ObjectRef,
  };
}

/** The objects in the order they are applied (and removed in reverse). */
export const rbacObjects = (r: ModuleRbac): ObjectRef[] => [
  r.serviceAccount,
  r.clusterRole,
  r.clusterRoleBinding,
];

/** The same three objects from `pepr build`'s dist/pepr-module-<uuid>.yaml. */
export function rbacFromBuildOutput(yamlText: string, name: string): ModuleRbac {
  const docs = parseAllDocuments(yamlText).map(d => d.toJS() as ObjectRef | null);
  const find = <T extends ObjectRef>(kind: string): T => {
    const found = docs.find(d => d?.kind === kind && d.metadata?.name === name);
    if (!found) throw new Error(`the build output has no ${kind} ${name}`);
    return found as T;
  };
  return {
    serviceAccount: find("ServiceAccount"),
    clusterRole: find("ClusterRole"),
    clusterRoleBinding: find("ClusterRoleBinding"),
  };
}
