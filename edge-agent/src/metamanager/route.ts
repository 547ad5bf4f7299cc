import { PROFILE_CONFIGMAP_PREFIX } from "@kubeedge-ts/contract";
import { Group, Operation } from "../beehive/names.js";
import type { KubeObject } from "../kube/client.js";
import type { StoredObject } from "../store/meta-store.js";

/** A store change as the meta manager sees it. */
export interface MetaChange {
  op: "insert" | "update" | "delete";
  kind: string;
  object: KubeObject;
  previous?: StoredObject<KubeObject>;
}

/** A bus message to send for a change. */
export interface Delivery {
  group: string;
  operation: Operation;
  resource: string;
  content: KubeObject;
}

export function resourceKey(kind: string, namespace: string | undefined, name: string): string {
  return `${namespace ?? ""}/${kind.toLowerCase()}/${name}`;
}

export function isProfileConfigMap(kind: string, name: string): boolean {
  return kind === "ConfigMap" && name.startsWith(PROFILE_CONFIGMAP_PREFIX);
}

/**
 * Which module hears about a change. Pods reach edged only when they must start, stop or
 * change: a new uid is a new pod (delete + insert), a new generation a spec change, and a
 * status-only update (or a relist that finds the same pod) reaches nobody — so a reconnect
 * never restarts what already runs.
 */
export function routeChange(change: MetaChange): Delivery[] {
  const { kind, object } = change;
  const key = resourceKey(kind, object.metadata.namespace, object.metadata.name);
  const to = (group: string, operation: Operation, content = object): Delivery => ({
    group,
    operation,
    resource: key,
    content,
  });
  if (kind === "Pod") return routePod(change, to);
  if (isProfileConfigMap(kind, object.metadata.name)) {
    return [to(Group.Twin, opOf(change.op))];
  }
  if (kind === "ConfigMap" || kind === "Secret") return [to(Group.Edged, opOf(change.op))];
  return [];
}

function routePod(
  change: MetaChange,
  to: (g: string, op: Operation, content?: KubeObject) => Delivery,
): Delivery[] {
  const { op, object, previous } = change;
  if (op === "insert") return [to(Group.Edged, Operation.Insert)];
  if (op === "delete") return [to(Group.Edged, Operation.Delete)];
  const before = previous?.object;
  if (!before) return [to(Group.Edged, Operation.Insert)];
  if (before.metadata.uid !== object.metadata.uid) {
    return [to(Group.Edged, Operation.Delete, before), to(Group.Edged, Operation.Insert)];
  }
  const terminating =
    object.metadata.deletionTimestamp !== undefined &&
    before.metadata.deletionTimestamp === undefined;
  if (terminating || (before.metadata.generation ?? 0) !== (object.metadata.generation ?? 0)) {
    return [to(Group.Edged, Operation.Update)];
  }
  return [];
}

function opOf(op: MetaChange["op"]): Operation {
  return op === "insert" ? Operation.Insert : op === "delete" ? Operation.Delete : Operation.Update;
}
