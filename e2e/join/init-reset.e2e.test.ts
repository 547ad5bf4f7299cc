/**
 * `kubeedge-ts init --local` and `kubeedge-ts reset` on a control plane of their own (reset
 * removes CRDs the shared one's other tests use): init installs, a second init changes nothing
 * and prints the same join line, reset --delete-crds leaves the object lists as before init.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  layout,
  startControlPlane,
  stopControlPlane,
  type ControlPlaneState,
} from "../../local/control-plane/index.js";
import { testCluster } from "../harness.js";
import {
  expectObjectsBack,
  LOCAL_INIT_KINDS,
  objectNames,
  snapshotObjects,
} from "../install-objects.js";
import { joinFlags, kubeedgeTs } from "./fixtures.js";

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

const objects = (): Promise<string[]> =>
  snapshotObjects({ binDir: state.binDir, kubeconfig, kinds: LOCAL_INIT_KINDS });
const names = objectNames;

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
    await expectObjectsBack({ binDir: state.binDir, kubeconfig, kinds: LOCAL_INIT_KINDS }, before);
  }, 400_000);
});
