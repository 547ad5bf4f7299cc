import type { KubeObject } from "../kube/client.js";

export interface ObjectRef {
  kind: "ConfigMap" | "Secret";
  namespace: string;
  name: string;
}

type Dict = Record<string, unknown>;
const arr = (v: unknown): Dict[] => (Array.isArray(v) ? (v as Dict[]) : []);
const obj = (v: unknown): Dict | undefined =>
  typeof v === "object" && v !== null ? (v as Dict) : undefined;
const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);

/**
 * The ConfigMaps and Secrets a pod uses (volumes, projected sources, env, envFrom, image pull
 * secrets): exactly what the Node authorizer lets this node read, so exactly what it watches.
 */
export function podReferences(pod: KubeObject): ObjectRef[] {
  const namespace = pod.metadata.namespace ?? "default";
  const spec = obj(pod.spec) ?? {};
  const refs = new Map<string, ObjectRef>();
  const add = (kind: ObjectRef["kind"], name: string | undefined): void => {
    if (name) refs.set(`${kind}/${name}`, { kind, namespace, name });
  };
  for (const v of arr(spec.volumes)) {
    add("ConfigMap", str(obj(v.configMap)?.name));
    add("Secret", str(obj(v.secret)?.secretName));
    for (const s of arr(obj(v.projected)?.sources)) {
      add("ConfigMap", str(obj(s.configMap)?.name));
      add("Secret", str(obj(s.secret)?.name));
    }
  }
  const containers = [
    ...arr(spec.containers),
    ...arr(spec.initContainers),
    ...arr(spec.ephemeralContainers),
  ];
  for (const c of containers) {
    for (const e of arr(c.env)) {
      const from = obj(e.valueFrom);
      add("ConfigMap", str(obj(from?.configMapKeyRef)?.name));
      add("Secret", str(obj(from?.secretKeyRef)?.name));
    }
    for (const e of arr(c.envFrom)) {
      add("ConfigMap", str(obj(e.configMapRef)?.name));
      add("Secret", str(obj(e.secretRef)?.name));
    }
  }
  for (const s of arr(spec.imagePullSecrets)) add("Secret", str(s.name));
  return [...refs.values()].sort((a, b) =>
    `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`),
  );
}

/** Namespaces in the Node annotation listing where this node's devices live. */
export function parseNamespaces(annotation: string | undefined): string[] {
  if (!annotation) return [];
  const valid = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
  const set = new Set(
    annotation
      .split(",")
      .map(s => s.trim())
      .filter(s => valid.test(s)),
  );
  return [...set].sort();
}
