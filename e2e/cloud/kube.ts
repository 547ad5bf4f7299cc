/**
 * A thin Kubernetes adapter for the module runner and `kubeedge-ts cloud up`: server-side apply
 * and delete of arbitrary objects with an explicit kubeconfig (never the ambient one, so tests
 * and the CLI talk to exactly the cluster they were given).
 */
import {
  ApiextensionsV1Api,
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
} from "@kubernetes/client-node";

export const FIELD_MANAGER = "kubeedge-ts";

export interface Kube {
  config: KubeConfig;
  objects: KubernetesObjectApi;
  apply<T extends KubernetesObject>(obj: T): Promise<T>;
  /** Deletes the object; an object that is already gone counts as deleted. */
  remove(obj: KubernetesObject): Promise<void>;
  waitForCrd(name: string, timeoutMs?: number): Promise<void>;
}

export function loadKube(kubeconfigPath: string): Kube {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfigPath);
  const objects = KubernetesObjectApi.makeApiClient(config);
  const crds = config.makeApiClient(ApiextensionsV1Api);
  return {
    config,
    objects,
    apply: obj => applyObject(objects, obj),
    remove: obj => removeObject(objects, obj),
    waitForCrd: (name, timeoutMs = 30_000) => waitForCrd(crds, name, timeoutMs),
  };
}

export function statusCode(err: unknown): number | undefined {
  const e = err as { code?: unknown; statusCode?: unknown; response?: { statusCode?: unknown } };
  for (const c of [e?.code, e?.statusCode, e?.response?.statusCode]) {
    if (typeof c === "number") return c;
  }
  return undefined;
}

function describe(obj: KubernetesObject): string {
  const ns = obj.metadata?.namespace ? `${obj.metadata.namespace}/` : "";
  return `${obj.kind} ${ns}${obj.metadata?.name}`;
}

async function applyObject<T extends KubernetesObject>(
  api: KubernetesObjectApi,
  obj: T,
): Promise<T> {
  try {
    return await api.patch(
      obj,
      undefined,
      undefined,
      FIELD_MANAGER,
      true,
      PatchStrategy.ServerSideApply,
    );
  } catch (err) {
    throw new Error(`applying ${describe(obj)} failed`, { cause: err });
  }
}

async function removeObject(api: KubernetesObjectApi, obj: KubernetesObject): Promise<void> {
  try {
    await api.delete(obj);
  } catch (err) {
    if (statusCode(err) === 404) return;
    throw new Error(`deleting ${describe(obj)} failed`, { cause: err });
  }
}

async function waitForCrd(api: ApiextensionsV1Api, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const crd = await api.readCustomResourceDefinition({ name }).catch(() => undefined);
    const established = crd?.status?.conditions?.some(
      c => c.type === "Established" && c.status === "True",
    );
    if (established) return;
    if (Date.now() > deadline) throw new Error(`CRD ${name} not established after ${timeoutMs} ms`);
    await new Promise(r => setTimeout(r, 100));
  }
}
