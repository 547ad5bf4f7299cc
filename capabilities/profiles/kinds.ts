/**
 * Group/version/kind of the KubeEdge CRDs for Pepr bindings. Passed explicitly (When(model, gvk))
 * instead of RegisterKind, so this capability never races the CRD package for a kind name.
 */
import {
  DEVICE_KIND,
  DEVICE_MODEL_KIND,
  DEVICE_MODEL_PLURAL,
  DEVICE_PLURAL,
  DEVICES_GROUP,
  DEVICES_VERSION,
} from "@kubeedge-ts/contract";

export const DEVICE_GVK = {
  group: DEVICES_GROUP,
  version: DEVICES_VERSION,
  kind: DEVICE_KIND,
  plural: DEVICE_PLURAL,
};

export const DEVICE_MODEL_GVK = {
  group: DEVICES_GROUP,
  version: DEVICES_VERSION,
  kind: DEVICE_MODEL_KIND,
  plural: DEVICE_MODEL_PLURAL,
};
