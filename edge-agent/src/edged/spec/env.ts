import type { ContainerSpec, EnvVar, Pod } from "../pod.js";
import { fieldPathValue, type PodRuntimeFields } from "./field-path.js";
import type { ObjectData, ObjectSource } from "./objects.js";

export interface ResolvedEnv {
  env: { key: string; value: string }[];
  /** Why the container cannot be created yet (kubelet: CreateContainerConfigError). */
  error?: string;
}

/**
 * A container's environment as kubelet builds it: envFrom first (in order, later sources win),
 * then env (later entries win), `$(VAR)` references expanded against what came before.
 */
export function resolveEnv(
  pod: Pod,
  container: ContainerSpec,
  objects: ObjectSource,
  runtime: PodRuntimeFields,
): ResolvedEnv {
  const ns = pod.metadata.namespace;
  const values = new Map<string, string>();
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const kind = from.configMapRef ? "configmap" : "secret";
    const obj = from.configMapRef ? objects.configMap(ns, ref.name) : objects.secret(ns, ref.name);
    if (!obj) {
      if (ref.optional) continue;
      return { env: [], error: `${kind} "${ref.name}" not found` };
    }
    for (const [k, v] of Object.entries(obj.data))
      values.set(`${from.prefix ?? ""}${k}`, String(v));
  }
  for (const e of container.env ?? []) {
    const value = envValue(pod, e, objects, runtime, values);
    if (typeof value === "object") return { env: [], error: value.error };
    values.set(e.name, value);
  }
  return { env: [...values].map(([key, value]) => ({ key, value })) };
}

function envValue(
  pod: Pod,
  e: EnvVar,
  objects: ObjectSource,
  runtime: PodRuntimeFields,
  before: ReadonlyMap<string, string>,
): string | { error: string } {
  if (e.valueFrom === undefined) return expand(e.value ?? "", before);
  const { configMapKeyRef: cmRef, secretKeyRef: secretRef, fieldRef } = e.valueFrom;
  if (fieldRef) {
    const v = fieldPathValue(pod, fieldRef.fieldPath, runtime);
    return v ?? { error: `env ${e.name}: unsupported fieldPath ${fieldRef.fieldPath}` };
  }
  const ref = cmRef ?? secretRef;
  if (!ref) return "";
  const kind = cmRef ? "configmap" : "secret";
  const ns = pod.metadata.namespace;
  const obj: ObjectData | undefined = cmRef
    ? objects.configMap(ns, ref.name)
    : objects.secret(ns, ref.name);
  const value = obj?.data[ref.key];
  if (value !== undefined) return value.toString("utf8");
  if (ref.optional) return "";
  return obj
    ? { error: `couldn't find key ${ref.key} in ${kind} ${ns}/${ref.name}` }
    : { error: `${kind} "${ref.name}" not found` };
}

/**
 * Kubernetes' `$(VAR)` expansion: a defined name is replaced, an undefined one is left as
 * written, and `$$` escapes a dollar.
 */
export function expand(text: string, vars: ReadonlyMap<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (whole, name?: string) => {
    if (name === undefined) return "$";
    return vars.get(name) ?? whole;
  });
}
