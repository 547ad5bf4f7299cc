/**
 * One reconcile pass for one namespace: list Devices, DeviceModels and what we own there,
 * write the profile ConfigMaps and reader RBAC that differ, delete what no device needs any
 * more. Level-based (it never looks at the event that triggered it), so a node move, a model
 * change, a hand-edited or deleted ConfigMap and a missed watch event all heal the same way.
 */
import { profileConfigMapName, profileReaderRoleName } from "@kubeedge-ts/contract";
import type { SkippedDevice } from "./builder.js";
import { ProfileTooLargeError, profileBudget, profileBytes } from "./document.js";
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
import type { Device, DeviceModel } from "../../crds/index.js";

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
    client.list<Device>(devicePaths.devices(ns)),
    client.list<DeviceModel>(devicePaths.models(ns)),
    client.list<ConfigMapLike>(paths.configMaps(ns), MANAGED_SELECTOR),
    client.list<Managed>(paths.roles(ns), MANAGED_SELECTOR),
    client.list<Managed>(paths.roleBindings(ns), MANAGED_SELECTOR),
  ]);
  return { devices, models, configMaps, roles, bindings };
}

const byNode = <T extends Managed>(items: T[]): Map<string, T> =>
  new Map(items.flatMap(i => (nodeOfManaged(i) ? [[nodeOfManaged(i)!, i] as [string, T]] : [])));

/** Writes in flight per pass: enough to hide apiserver latency, few enough to be polite. */
const WRITE_CONCURRENCY = 16;

export async function runLimited(tasks: (() => Promise<unknown>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) await tasks[next++]();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

type State = Awaited<ReturnType<typeof listState>>;
type Task = () => Promise<unknown>;

function ownedByNode(state: State) {
  return {
    cms: byNode(state.configMaps),
    roles: byNode(state.roles),
    bindings: byNode(state.bindings),
  };
}

/** Writes for one node's desired profile: ConfigMap, Role and RoleBinding where they differ. */
function writesFor(
  client: KubeClient,
  ns: string,
  node: string,
  document: string,
  owned: ReturnType<typeof ownedByNode>,
): Task[] {
  const tasks: Task[] = [];
  const name = profileReaderRoleName(node);
  const desired = profileConfigMap(ns, node, document);
  if (!configMapUpToDate(owned.cms.get(node), desired)) {
    tasks.push(() => client.apply(paths.configMap(ns, profileConfigMapName(node)), desired));
  }
  const role = readerRole(ns, node);
  const binding = readerRoleBinding(ns, node);
  const roleDue = !sameGrant(owned.roles.get(node), role);
  const bindingDue = !sameGrant(owned.bindings.get(node), binding);
  // The binding after its Role, never beside it: the apiserver answers a binding to a Role that
  // does not exist yet with 404 unless the writer may `bind` (the admin may, the module's scoped
  // ServiceAccount in a cluster may not), and the whole namespace's sync went into back-off.
  // runLimited starts tasks in order, so the Role's write has begun when the binding's starts.
  let roleWritten: Promise<unknown> | undefined;
  if (roleDue) tasks.push(() => (roleWritten = client.apply(paths.role(ns, name), role)));
  if (bindingDue) {
    tasks.push(async () => {
      await roleWritten;
      return client.apply(paths.roleBinding(ns, name), binding);
    });
  }
  return tasks;
}

/** Deletes of everything owned for nodes that no longer have devices here. */
function orphanDeletes(
  client: KubeClient,
  ns: string,
  keep: Set<string>,
  owned: ReturnType<typeof ownedByNode>,
): Task[] {
  const orphans = <T extends Managed>(m: Map<string, T>): T[] =>
    [...m].filter(([node]) => !keep.has(node)).map(([, obj]) => obj);
  return [
    ...orphans(owned.cms).map(o => () => client.delete(paths.configMap(ns, o.metadata!.name!))),
    ...orphans(owned.roles).map(o => () => client.delete(paths.role(ns, o.metadata!.name!))),
    ...orphans(owned.bindings).map(
      o => () => client.delete(paths.roleBinding(ns, o.metadata!.name!)),
    ),
  ];
}

export async function syncNamespace(client: KubeClient, ns: string): Promise<NamespaceSyncResult> {
  const state = await listState(client, ns);
  const plan = planNamespace(ns, state.devices, state.models);
  const owned = ownedByNode(state);
  const result: NamespaceSyncResult = {
    namespace: ns,
    nodes: new Set([...owned.cms.keys(), ...owned.roles.keys(), ...owned.bindings.keys()]),
    profiledNodes: new Set(),
    tooLarge: [],
    skipped: plan.skipped,
    writes: 0,
    deletes: 0,
  };
  const keep = new Set<string>();
  const writes: Task[] = [];
  const budget = profileBudget();
  for (const p of plan.profiles) {
    keep.add(p.node);
    result.nodes.add(p.node);
    const bytes = profileBytes(p.document);
    if (bytes > budget) {
      // Keep whatever profile the node has now; a truncated one would hide devices.
      result.tooLarge.push(new ProfileTooLargeError(ns, p.node, bytes, p.deviceCount, budget));
      if (owned.cms.has(p.node)) result.profiledNodes.add(p.node);
      continue;
    }
    result.profiledNodes.add(p.node);
    writes.push(...writesFor(client, ns, p.node, p.document, owned));
  }
  const deletes = orphanDeletes(client, ns, keep, owned);
  await runLimited([...writes, ...deletes], WRITE_CONCURRENCY);
  result.writes = writes.length;
  result.deletes = deletes.length;
  return result;
}
