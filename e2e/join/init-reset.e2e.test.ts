/**
 * `kubeedge-ts init --local` and `kubeedge-ts reset` on a control plane of their own (reset
 * removes CRDs the shared one's other tests use): init installs, a second init changes nothing
 * and prints the same join line, reset --delete-crds leaves the object lists as before init.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runKubectl } from "../../local/kube/kubectl.js";
import {
  layout,
  startControlPlane,
  stopControlPlane,
  type ControlPlaneState,
} from "../../local/control-plane/index.js";
import { testCluster } from "../harness.js";
import { joinFlags, kubeedgeTs } from "./fixtures.js";

const KINDS = [
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

let state: ControlPlaneState;
let kubeconfig: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "kubeedge-ts-init-"));
  state = await startControlPlane({ dir, binDir: testCluster().binDir, ownerPid: process.pid });
  kubeconfig = layout(dir).adminKubeconfig;
}, 240_000);
afterAll(async () => {
  if (state) await stopControlPlane(state.dir);
});

/**
 * kind/namespace/name@generation of every object of KINDS, and kube-system's Secrets. The
 * generation moves with spec changes only: controllers writing status (admission policies'
 * type checks) do not count as init changing something.
 */
async function objects(): Promise<string[]> {
  const template =
    '{range .items[*]}{.kind}/{.metadata.namespace}/{.metadata.name}@{.metadata.generation}{"\\n"}{end}';
  const all = await runKubectl(state.binDir, kubeconfig, [
    "get",
    KINDS.join(","),
    "-A",
    "-o",
    `jsonpath=${template}`,
  ]);
  expect(all.code, all.stderr).toBe(0);
  const secrets = await runKubectl(state.binDir, kubeconfig, [
    ...["get", "secrets", "-n", "kube-system", "-o", `jsonpath=${template}`],
  ]);
  // A namespace's `default` ServiceAccount is the controller-manager's, made a moment after the
  // namespace: whether a snapshot sees it yet is a race, and the Namespace itself is compared.
  const controllerMade = /^ServiceAccount\/[^/]+\/default@/;
  return [...all.stdout.split("\n"), ...secrets.stdout.split("\n")]
    .filter(line => line && !controllerMade.test(line))
    .sort();
}

const names = (list: string[]): string[] => list.map(o => o.replace(/@\d*$/, ""));

describe("kubeedge-ts init --local / reset", () => {
  it("installs idempotently, prints the join line last, and reset restores the object lists", async () => {
    const before = await objects();
    const first = await kubeedgeTs(["init", "--kubeconfig", kubeconfig, "--local"]);
    expect(first.code, first.stderr).toBe(0);
    const firstLine = first.stdout.trim().split("\n").pop() ?? "";
    expect(() => joinFlags(firstLine)).not.toThrow();
    const installed = await objects();
    expect(names(installed)).toEqual(
      expect.arrayContaining([
        "CustomResourceDefinition//devices.devices.kubeedge.io",
        "CustomResourceDefinition//devicemodels.devices.kubeedge.io",
        "ClusterRole//kubeedge-ts:edge-node-device-reporter",
        "Namespace//pepr-system",
      ]),
    );
    expect(
      names(installed).filter(n => n.startsWith("Secret/kube-system/bootstrap-token-")),
    ).toHaveLength(1);

    const second = await kubeedgeTs(["init", "--kubeconfig", kubeconfig, "--local"]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout.trim().split("\n").pop()).toBe(firstLine);
    expect(await objects()).toEqual(installed);

    const reset = await kubeedgeTs(["reset", "--kubeconfig", kubeconfig, "--delete-crds"]);
    expect(reset.code, reset.stderr).toBe(0);
    // Deleted namespaces and CRDs take a moment to go.
    let after: string[] = [];
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
      after = names(await objects());
      if (after.length === names(before).length) break;
      await new Promise(r => setTimeout(r, 500));
    }
    expect(after).toEqual(names(before));
  }, 400_000);
});
