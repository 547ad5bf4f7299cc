/**
 * One reconcile pass for one namespace: list Devices, DeviceModels and what we own there,
 * write the profile ConfigMaps and reader RBAC that differ, delete what no device needs any
 * more. Level-based (it never looks at the event that triggered it), so a node move, a model
 * change, a hand-edited or deleted ConfigMap and a missed watch event all heal the same way.
 */
import { profileConfigMapName, profileReaderRoleName } from "@kubeedge-ts/contract";
import type { SkippedDevice } from "./builder.js";
import { MAX_PROFILE_BYTES, ProfileTooLargeError, profileBytes } from "./document.js";
import { KubeClient, paths } from "./kube-client.js";
import {
  configMapUpToDate,
  devicePaths,
  MANAGED_SELECTOR,
  nodeOfManaged,
  profileConfigMap,
  readerRole,
  readerRoleBinding,
  type ConfigMapLike,
} from "./objects.js";
import { planNamespace } from "./plan.js";
import type { DeviceLike, DeviceModelLike } from "./types.js";

export interface NamespaceSyncResult {
  namespace: string;
  /** Nodes whose profile, RBAC or annotation may have changed (now or before this pass). */
  nodes: Set<string>;
  /** Nodes with a profile in this namespace after the pass. */
  profiledNodes: Set<string>;
  tooLarge: ProfileTooLargeError[];
  skipped: SkippedDevice[];
  writes: number;
  deletes: number;
}

interface Managed {
  metadata?: { name?: string; labels?: Record<string, string> };
  rules?: unknown;
  roleRef?: unknown;
  subjects?: unknown;
}

/** JSON with object keys sorted: the apiserver does not keep our key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** A hand-edited Role or RoleBinding is rewritten: compare what grants access. */
function sameGrant(stored: Managed | undefined, desired: Managed): boolean {
  if (!stored) return false;
  const pick = (o: Managed): string => canonicalJson([o.rules, o.roleRef, o.subjects]);
  return pick(stored) === pick(desired);
}

async function listState(client: KubeClient, ns: string) {
  const [devices, models, configMaps, roles, bindings] = await Promise.all([
    client.list<DeviceLike>(devicePaths.devices(ns)),
    client.list<DeviceModelLike>(devicePaths.models(ns)),
    client.list<ConfigMapLike>(paths.configMaps(ns), MANAGED_SELECTOR),
    client.list<Managed>(paths.roles(ns), MANAGED_SELECTOR),
    client.list<Managed>(paths.roleBindings(ns), MANAGED_SELECTOR),
  ]);
  return { devices, models, configMaps, roles, bindings };
}

const byNode = <T extends Managed>(items: T[]): Map<string, T> =>
  new Map(items.flatMap(i => (nodeOfManaged(i) ? [[nodeOfManaged(i)!, i] as [string, T]] : [])));

export async function syncNamespace(client: KubeClient, ns: string): Promise<NamespaceSyncResult> {
  const state = await listState(client, ns);
  const plan = planNamespace(ns, state.devices, state.models);
  const cms = byNode(state.configMaps);
  const roles = byNode(state.roles);
  const bindings = byNode(state.bindings);
  const result: NamespaceSyncResult = {
    namespace: ns,
    nodes: new Set([...cms.keys(), ...roles.keys(), ...bindings.keys()]),
    profiledNodes: new Set(),
    tooLarge: [],
    skipped: plan.skipped,
    writes: 0,
    deletes: 0,
  };
  const keep = new Set<string>();
  for (const p of plan.profiles) {
    keep.add(p.node);
    result.nodes.add(p.node);
    const bytes = profileBytes(p.document);
    if (bytes > MAX_PROFILE_BYTES) {
      // Keep whatever profile the node has now; a truncated one would hide devices.
      result.tooLarge.push(new ProfileTooLargeError(ns, p.node, bytes, p.deviceCount));
      if (cms.has(p.node)) result.profiledNodes.add(p.node);
      continue;
    }
    result.profiledNodes.add(p.node);
    const desired = profileConfigMap(ns, p.node, p.document);
    if (!configMapUpToDate(cms.get(p.node), desired)) {
      await client.apply(paths.configMap(ns, profileConfigMapName(p.node)), desired);
      result.writes++;
    }
    const name = profileReaderRoleName(p.node);
    const role = readerRole(ns, p.node);
    if (!sameGrant(roles.get(p.node), role)) {
      await client.apply(paths.role(ns, name), role);
      result.writes++;
    }
    const binding = readerRoleBinding(ns, p.node);
    if (!sameGrant(bindings.get(p.node), binding)) {
      await client.apply(paths.roleBinding(ns, name), binding);
      result.writes++;
    }
  }
  for (const [node, cm] of cms) {
    if (keep.has(node)) continue;
    await client.delete(paths.configMap(ns, cm.metadata!.name!));
    result.deletes++;
  }
  for (const [node, role] of roles) {
    if (!keep.has(node)) {
      await client.delete(paths.role(ns, role.metadata!.name!));
      result.deletes++;
    }
  }
  for (const [node, binding] of bindings) {
    if (!keep.has(node)) {
      await client.delete(paths.roleBinding(ns, binding.metadata!.name!));
      result.deletes++;
    }
  }
  return result;
}
