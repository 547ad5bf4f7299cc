/**
 * What Pepr expects in the cluster before its controller starts: the `pepr-system` namespace
 * and the PeprStore CRD it keeps capability stores in (`pepr deploy` creates both; a module
 * running outside the cluster has to create them itself).
 */
import type { ObjectRef } from "../kube/kube.js";

export const PEPR_NAMESPACE = "pepr-system";
export const PEPR_STORE_CRD_NAME = "peprstores.pepr.dev";

export function peprSystemObjects(): ObjectRef[] {
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: PEPR_NAMESPACE } },
    {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: PEPR_STORE_CRD_NAME },
      spec: {
        group: "pepr.dev",
        scope: "Namespaced",
        names: { plural: "peprstores", singular: "peprstore", kind: "PeprStore" },
        versions: [
          {
            name: "v1",
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: "object",
                properties: { data: { type: "object", additionalProperties: { type: "string" } } },
              },
            },
          },
        ],
      },
    } as ObjectRef,
  ];
}

/** The store objects Pepr creates for a module named `pepr-<uuid>`. */
export function peprStoreObjects(name: string): ObjectRef[] {
  return [`${name}-store`, `${name}-schedule`].map(store => ({
    apiVersion: "pepr.dev/v1",
    kind: "PeprStore",
    metadata: { name: store, namespace: PEPR_NAMESPACE },
  }));
}
