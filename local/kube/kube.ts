/**
 * A thin Kubernetes adapter for the module runner and `kubeedge-ts cloud up`: server-side apply
 * and delete of the few kinds they manage, with an explicit kubeconfig (never the ambient one).
 * Raw JSON over REST on purpose: client-node's typed serializer drops fields it has no model
 * for, e.g. `x-kubernetes-preserve-unknown-fields` in a CRD schema.
 */
import { KubeConfig } from "@kubernetes/client-node";
import { isNotFound, KubeClient } from "../../capabilities/profiles/kube-client.js";

export const FIELD_MANAGER = "kubeedge-ts";

export interface ObjectRef {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string };
}

/** kind → collection path; `{ns}` marks namespaced kinds. */
const COLLECTIONS: Record<string, string> = {
  Namespace: "/api/v1/namespaces",
  ConfigMap: "/api/v1/namespaces/{ns}/configmaps",
  CustomResourceDefinition: "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
  MutatingWebhookConfiguration:
    "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations",
  ValidatingWebhookConfiguration:
    "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations",
  ValidatingAdmissionPolicy: "/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies",
  ValidatingAdmissionPolicyBinding:
    "/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings",
  Secret: "/api/v1/namespaces/{ns}/secrets",
  ServiceAccount: "/api/v1/namespaces/{ns}/serviceaccounts",
  Role: "/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles",
  RoleBinding: "/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings",
  ClusterRole: "/apis/rbac.authorization.k8s.io/v1/clusterroles",
  ClusterRoleBinding: "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
  PeprStore: "/apis/pepr.dev/v1/namespaces/{ns}/peprstores",
  Deployment: "/apis/apps/v1/namespaces/{ns}/deployments",
  Service: "/api/v1/namespaces/{ns}/services",
};

export function objectPath(obj: ObjectRef): string {
  const collection = COLLECTIONS[obj.kind ?? ""];
  const name = obj.metadata?.name;
  if (!collection || !name) throw new Error(`cannot address ${obj.kind} ${name}`);
  if (collection.includes("{ns}") && !obj.metadata?.namespace) {
    throw new Error(`${obj.kind} ${name} needs a namespace`);
  }
  return `${collection.replace("{ns}", obj.metadata?.namespace ?? "")}/${name}`;
}

export interface Kube {
  client: KubeClient;
  apply<T extends ObjectRef>(obj: T): Promise<T>;
  /** Deletes the object; an object that is already gone counts as deleted. */
  remove(obj: ObjectRef): Promise<void>;
  waitForCrd(name: string, timeoutMs?: number): Promise<void>;
  close(): void;
}

export function loadKube(kubeconfigPath: string): Kube {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfigPath);
  const client = new KubeClient(config, FIELD_MANAGER);
  return {
    client,
    apply: async obj => {
      try {
        return await client.apply(objectPath(obj), obj);
      } catch (err) {
        throw new Error(`applying ${obj.kind} ${obj.metadata?.name} failed`, { cause: err });
      }
    },
    remove: obj => client.delete(objectPath(obj)),
    waitForCrd: (name, timeoutMs = 30_000) => waitForCrd(client, name, timeoutMs),
    close: () => client.close(),
  };
}

interface Crd {
  status?: { conditions?: { type?: string; status?: string }[] };
}

async function waitForCrd(client: KubeClient, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const path = `${COLLECTIONS.CustomResourceDefinition}/${name}`;
  for (;;) {
    const crd = await client.get<Crd>(path).catch(err => {
      if (isNotFound(err)) return undefined;
      throw err;
    });
    const established = crd?.status?.conditions?.some(
      c => c.type === "Established" && c.status === "True",
    );
    if (established) return;
    if (Date.now() > deadline) throw new Error(`CRD ${name} not established after ${timeoutMs} ms`);
    await new Promise(r => setTimeout(r, 100));
  }
}
