/**
 * Fixture of the install e2e tests (`init --local`, in-cluster `init`, `reset`): snapshots of
 * the objects `init` touches, to prove a second `init` changes nothing and `reset` leaves the
 * object lists as before `init`.
 */
import { expect } from "vitest";
import { eventually } from "@kubeedge-ts/testkit";
import { runKubectl } from "../local/kube/kubectl.js";

/** The kinds `init --local` creates (cluster-scoped, and namespaced in any namespace). */
export const LOCAL_INIT_KINDS = [
  "customresourcedefinitions",
  "clusterroles",
  "clusterrolebindings",
  "validatingadmissionpolicies",
  "validatingadmissionpolicybindings",
  "validatingwebhookconfigurations",
  "mutatingwebhookconfigurations",
  "namespaces",
  "roles",
  "rolebindings",
  "serviceaccounts",
];

/** …and what the in-cluster module adds: its Deployments, Services and Secrets. */
export const IN_CLUSTER_INIT_KINDS = [
  ...LOCAL_INIT_KINDS,
  "deployments.apps",
  "services",
  "secrets",
];

export interface Snapshotter {
  binDir: string;
  kubeconfig: string;
  kinds: string[];
}

/**
 * kind/namespace/name@<field> of every object of `kinds`, plus kube-system's Secrets (the
 * bootstrap tokens). `generation` moves with spec changes only (controllers writing status do
 * not count as init changing something); `resourceVersion` moves with any write.
 */
export async function snapshotObjects(
  s: Snapshotter,
  field: "generation" | "resourceVersion" = "generation",
): Promise<string[]> {
  const template = `{range .items[*]}{.kind}/{.metadata.namespace}/{.metadata.name}@{.metadata.${field}}{"\\n"}{end}`;
  const get = async (args: string[]): Promise<string> => {
    const r = await runKubectl(s.binDir, s.kubeconfig, [...args, "-o", `jsonpath=${template}`]);
    expect(r.code, r.stderr).toBe(0);
    return r.stdout;
  };
  const all = await get(["get", s.kinds.join(","), "-A"]);
  const tokens = await get(["get", "secrets", "-n", "kube-system"]);
  // A namespace's `default` ServiceAccount is the controller-manager's, made a moment after the
  // namespace: whether a snapshot sees it yet is a race, and the Namespace itself is compared.
  const controllerMade = /^ServiceAccount\/[^/]+\/default@/;
  return [...new Set([...all.split("\n"), ...tokens.split("\n")])]
    .filter(line => line && !controllerMade.test(line))
    .sort();
}

/** The snapshot's lines without the field: which objects exist. */
export const objectNames = (list: string[]): string[] => list.map(o => o.replace(/@[^@]*$/, ""));

/** Waits until the object names equal `before`'s (deleted namespaces and CRDs take a moment). */
export async function expectObjectsBack(s: Snapshotter, before: string[]): Promise<void> {
  let after: string[] = [];
  await eventually(
    "the object lists as before init",
    async () => {
      after = objectNames(await snapshotObjects(s));
      return after.join("\n") === objectNames(before).join("\n");
    },
    120_000,
    500,
  ).catch(() => undefined);
  expect(after).toEqual(objectNames(before));
}
