/**
 * The in-cluster install as a user runs it, on a cluster of its own with a cloud worker node
 * (`cluster up --with-worker`): `init` deploys the module from `pepr build` output, its admission
 * and watcher pods run on the worker from the locally built controller image, the apiserver
 * calls webhooks those pods serve (an invalid Device refused with its field named), the watcher
 * keeps an edge node's profile ConfigMap, a node joined with the printed join line becomes an
 * edge node (the pods' Node webhook), a second `init` changes nothing, and `reset` leaves the
 * object lists as before `init`. Only one worker runs per machine: the file waits for the slot.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EDGE_NODE_ROLE_LABEL,
  EDGE_NODE_TAINT_KEY,
  PROFILE_CONFIGMAP_KEY,
  profileConfigMapName,
} from "@kubeedge-ts/contract";
import { eventually, freePort, thermometerDevice, thermometerModel } from "@kubeedge-ts/testkit";
import { ensureBinaries } from "../../local/control-plane/index.js";
import { peprControllerImageRef } from "../../local/images/index.js";
import { type KubectlResult, runKubectl } from "../../local/kube/kubectl.js";
import { peprBuild } from "../../local/cloud-runner/pepr-build.js";
import { releaseWorkerSlot, reserveWorkerSlot } from "../../local/worker/index.js";
import { inClusterModuleRefs } from "../../local/install/module-in-cluster.js";
import {
  expectObjectsBack,
  IN_CLUSTER_INIT_KINDS,
  objectNames,
  snapshotObjects,
  type Snapshotter,
} from "../install-objects.js";
import { AgentProcess, tempDir } from "../edge-agent/agent.js";
import { joinFlags, kubeedgeEdge, kubeedgeTs } from "../join/fixtures.js";

const NS = "incluster-e2e";
const EDGE_NODE = "incluster-edge-1";
const JOINED_NODE = "incluster-joined";
const MODULE = "pepr-kubeedge-ts";
const BROKEN = join(import.meta.dirname, "../cloud/fixtures/broken/device-missing-model.yaml");

interface PodJson {
  metadata: { name: string; labels?: Record<string, string> };
  spec: {
    nodeName?: string;
    containers: { image: string }[];
    taints?: { key: string }[];
  };
  status: { conditions?: { type: string; status: string }[] };
}
interface ObjJson {
  metadata: { name: string; resourceVersion?: string };
  data?: Record<string, string>;
  webhooks?: { clientConfig: { service?: { name: string; namespace: string }; url?: string } }[];
}

const dir = mkdtempSync(join(tmpdir(), "kubeedge-ts-incluster-"));
const kubeconfig = join(dir, "admin.kubeconfig");
let binDir = "";
let snap: Snapshotter;
let before: string[] = [];
let workerNode = "";

const kubectl = (args: string[], input?: string): Promise<KubectlResult> =>
  runKubectl(binDir, kubeconfig, args, input);
async function getJson<T>(args: string[]): Promise<T> {
  const r = await kubectl([...args, "-o", "json"]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}
const apply = async (obj: object): Promise<KubectlResult> =>
  kubectl(["apply", "-f", "-"], JSON.stringify(obj));
const lastLine = (out: string): string => out.trim().split("\n").pop() ?? "";
const podReady = (p: PodJson): boolean =>
  (p.status.conditions ?? []).some(c => c.type === "Ready" && c.status === "True");

beforeAll(async () => {
  binDir = await ensureBinaries(() => undefined);
  // One worker per machine: wait for another file's worker to go, and keep the slot for ours.
  await reserveWorkerSlot(dir, 600_000);
  const up = await kubeedgeTs(["cluster", "up", "--with-worker", "--dir", dir]);
  expect(up.code, `${up.stdout}\n${up.stderr}`).toBe(0);
  snap = { binDir, kubeconfig, kinds: IN_CLUSTER_INIT_KINDS };
  const nodes = await getJson<{ items: { metadata: { name: string } }[] }>(["get", "nodes"]);
  expect(nodes.items).toHaveLength(1);
  workerNode = nodes.items[0]!.metadata.name;
  await eventually(
    "the worker node Ready",
    async () => (await kubectl(["wait", "--for=condition=Ready", `node/${workerNode}`])).code === 0,
    120_000,
  );
  before = await snapshotObjects(snap);
}, 1_500_000);

afterAll(async () => {
  const down = await kubeedgeTs(["cluster", "down", "--dir", dir]);
  releaseWorkerSlot(dir);
  rmSync(dir, { recursive: true, force: true });
  expect(down.code, down.stderr).toBe(0);
}, 180_000);

describe("kubeedge-ts init (in-cluster) on a cluster with a worker node", () => {
  let joinLine = "";
  let installed: string[] = [];

  it("deploys the module's pods on the worker and prints the join line last", async () => {
    const init = await kubeedgeTs(["init", "--kubeconfig", kubeconfig]);
    expect(init.code, `${init.stdout}\n${init.stderr}`).toBe(0);
    expect(init.stdout).toContain("waiting for the module's Deployments");
    expect(init.stdout).toContain("the module's pods serve admission");
    joinLine = lastLine(init.stdout);
    expect(() => joinFlags(joinLine)).not.toThrow();

    const pods = await getJson<{ items: PodJson[] }>(["get", "pods", "-n", "pepr-system"]);
    const byRole = (role: string): PodJson[] =>
      pods.items.filter(p => p.metadata.labels?.["pepr.dev/controller"] === role);
    expect(byRole("admission")).toHaveLength(2);
    expect(byRole("watcher")).toHaveLength(1);
    for (const p of pods.items) {
      expect(p.spec.nodeName, p.metadata.name).toBe(workerNode);
      expect(podReady(p), p.metadata.name).toBe(true);
      expect(p.spec.containers[0]!.image).toBe(peprControllerImageRef());
    }
    installed = await snapshotObjects(snap);
    // reset names every workload of the manifest without a build: the names must match it.
    const manifest = readFileSync((await peprBuild()).manifestFile, "utf8");
    for (const ref of inClusterModuleRefs(MODULE)) {
      expect(manifest).toContain(`name: ${ref.metadata!.name}\n  namespace: pepr-system`);
    }
  }, 900_000);

  it("refuses an invalid Device through the webhook its pods serve, naming the field", async () => {
    for (const kind of ["validatingwebhookconfiguration", "mutatingwebhookconfiguration"]) {
      const config = await getJson<ObjJson>(["get", kind, MODULE]);
      for (const w of config.webhooks ?? []) {
        expect(w.clientConfig.url).toBeUndefined();
        expect(w.clientConfig.service).toMatchObject({ name: MODULE, namespace: "pepr-system" });
      }
    }
    expect((await kubectl(["create", "namespace", NS])).code).toBe(0);
    const r = await kubectl(["apply", "-n", NS, "-f", BROKEN]);
    expect(r.code, r.stdout).not.toBe(0);
    expect(r.stderr).toContain(
      `spec.deviceModelRef.name: "no-such-model" names no DeviceModel in namespace ${NS}`,
    );
    const logs = await kubectl([
      ...["logs", "-n", "pepr-system", "-l", "app=pepr-kubeedge-ts", "--tail=-1"],
    ]);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toContain("broken-missing-model");
  }, 120_000);

  it("keeps an edge node's profile ConfigMap from the watcher pod", async () => {
    const model = thermometerModel({ namespace: NS, properties: ["enable"] });
    const device = thermometerDevice({
      name: "thermo-incluster",
      namespace: NS,
      node: EDGE_NODE,
      endpoint: { host: "127.0.0.1", port: 5020 },
      properties: ["enable"],
      desired: { enable: "ON" },
    });
    for (const obj of [model, device]) {
      const r = await apply(obj);
      expect(r.code, r.stderr).toBe(0);
    }
    await eventually(
      "the device's profile ConfigMap",
      async () => {
        const r = await kubectl(["get", "configmap", "-n", NS, profileConfigMapName(EDGE_NODE)]);
        return r.code === 0;
      },
      120_000,
    );
    const cm = await getJson<ObjJson>([
      "get",
      "configmap",
      "-n",
      NS,
      profileConfigMapName(EDGE_NODE),
    ]);
    const profile = JSON.parse(cm.data![PROFILE_CONFIGMAP_KEY]!) as {
      deviceInstances: { name: string }[];
    };
    expect(profile.deviceInstances.map(d => d.name)).toEqual(["thermo-incluster"]);
    // With the scoped ServiceAccount, not the admin: the first sync went through (no retry).
    const logs = await kubectl([
      ...["logs", "-n", "pepr-system", "-l", "app=pepr-kubeedge-ts-watcher", "--tail=-1"],
    ]);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toContain(`"namespace":"${NS}"`);
    expect(logs.stdout).not.toContain(`syncing device profiles in namespace ${NS} failed`);
    const del = await kubectl(["delete", "namespace", NS, "--wait=true", "--timeout=120s"]);
    expect(del.code, del.stderr).toBe(0);
  }, 240_000);

  it("makes a node joined with the printed join line an edge node", async () => {
    const { server, token, caHash } = joinFlags(joinLine);
    const device = tempDir("incluster-joined");
    const joined = await kubeedgeEdge([
      ...["join", "--server", server, "--token", token, "--ca-hash", caHash],
      ...["--node-name", JOINED_NODE, "--data-dir", device],
    ]);
    expect(joined.code, joined.stderr).toBe(0);
    const agent = AgentProcess.cli([
      ...["--config", join(device, "config.yaml"), "--healthz-port", "0"],
      ...["--remote-runtime-endpoint", ""],
      ...["--mqtt-internal-server", `tcp://127.0.0.1:${await freePort()}`],
      "--mqtt-allow-anonymous",
    ]);
    try {
      await agent.healthPort();
      const node = await eventually(
        "the edge role and its taint on the joined node",
        async () => {
          const r = await kubectl(["get", "node", JOINED_NODE, "-o", "json"]);
          if (r.code !== 0) return undefined;
          const n = JSON.parse(r.stdout) as PodJson;
          return (n.spec.taints ?? []).some(t => t.key === EDGE_NODE_TAINT_KEY) ? n : undefined;
        },
        120_000,
        1000,
      );
      expect(node.metadata.labels?.[EDGE_NODE_ROLE_LABEL]).toBe("");
    } finally {
      await agent.kill("SIGTERM");
    }
    const reset = await kubeedgeEdge(["reset", "--data-dir", device]);
    expect(reset.code, reset.stderr).toBe(0);
  }, 300_000);

  it("changes nothing when run a second time", async () => {
    // The apiserver's type checker writes admission policies' status on its own schedule:
    // those compare by generation (spec), everything else by resourceVersion (any write).
    const policyStatus = /^ValidatingAdmissionPolicy\//;
    const versions = async (): Promise<string[]> =>
      (await snapshotObjects(snap, "resourceVersion")).filter(o => !policyStatus.test(o));
    const rv = await versions();
    const generations = await snapshotObjects(snap);
    const again = await kubeedgeTs(["init", "--kubeconfig", kubeconfig]);
    expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(0);
    expect(lastLine(again.stdout)).toBe(joinLine);
    expect(await versions()).toEqual(rv);
    expect(await snapshotObjects(snap)).toEqual(generations);
    expect(objectNames(generations)).toEqual(objectNames(installed));
  }, 600_000);

  it("reset leaves the object lists as before init", async () => {
    const reset = await kubeedgeTs(["reset", "--kubeconfig", kubeconfig, "--delete-crds"]);
    expect(reset.code, `${reset.stdout}\n${reset.stderr}`).toBe(0);
    const out = reset.stdout;
    expect(out.indexOf("MutatingWebhookConfiguration")).toBeLessThan(out.indexOf("Deployment/"));
    await expectObjectsBack(snap, before);
  }, 400_000);
});
