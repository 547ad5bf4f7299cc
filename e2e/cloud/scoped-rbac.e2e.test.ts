/**
 * The module with the identity `pepr build` generates, not the admin's: the ServiceAccount,
 * ClusterRole and ClusterRoleBinding from the build output (scoped RBAC mode), a token from the
 * TokenRequest API, and the cloud behaviours that need the module's permissions — profiles and
 * their reader RBAC, admission reading models, a node's status report, the edge role grant, the
 * Device state following the node's readiness.
 * Every request the apiserver refused the module shows in its log; "made no request the apiserver
 * refused" fails naming them, and the last test proves that check sees a missing permission.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EDGE_AGENT_LABEL,
  EDGE_AGENT_LABEL_VALUE,
  EDGE_NODE_ROLE_LABEL,
  profileConfigMapName,
  profileReaderRoleName,
} from "@kubeedge-ts/contract";
import { thermometerDevice, thermometerModel } from "@kubeedge-ts/testkit";
import { eventually, testCluster, type TestCluster } from "../harness.js";
import { crdsForTests, installCrds } from "../../local/cloud-runner/crds.js";
import { RBAC_DIR } from "../../local/cloud-runner/manifests.js";
import {
  moduleName,
  REPO_ROOT,
  startModule,
  type RunningModule,
} from "../../local/cloud-runner/module-runner.js";
import {
  moduleRbac,
  rbacFromBuildOutput,
  rbacObjects,
  type ModuleRbac,
  type PolicyRule,
} from "../../local/cloud-runner/module-rbac.js";
import { peprSystemObjects } from "../../local/cloud-runner/pepr-system.js";
import { PEPR_BUILD_TIMEOUT_MS, peprBuild } from "../../local/cloud-runner/pepr-build.js";
import { forbiddenRequests } from "../../local/cloud-runner/forbidden-requests.js";
import { kubeRequest } from "../../local/kube/kube-request.js";
import { loadKube, type Kube } from "../../local/kube/kube.js";

const NS = "scoped-rbac-e2e";
const NODE = "scoped-rbac-edge";
const LATE_NODE = "scoped-rbac-late";
const DEVICES = `/apis/devices.kubeedge.io/v1alpha2/namespaces/${NS}/devices`;
const device = (name: string, node: string, model?: string): object =>
  thermometerDevice({
    name,
    model,
    namespace: NS,
    node,
    endpoint: { host: "127.0.0.1", port: 5020 },
    properties: ["enable"],
    desired: { enable: "ON" },
  });

describe("the module with its scoped ServiceAccount from `pepr build`", () => {
  let cluster: TestCluster;
  let kube: Kube;
  let built: ModuleRbac;
  let module: RunningModule | undefined;
  let log = "";

  const apply = async (obj: object): Promise<{ code: number; stderr: string }> =>
    cluster.kubectl(["apply", "-f", "-"], { input: JSON.stringify(obj) });
  const exists = async (args: string[]): Promise<boolean> =>
    (await cluster.kubectl(["get", ...args])).code === 0;
  const moduleLog = (): string => (module?.logFile ? readFileSync(module.logFile, "utf8") : log);

  beforeAll(async () => {
    cluster = testCluster();
    kube = loadKube(cluster.adminKubeconfig);
    const buildOutput = peprBuild().then(b => readFileSync(b.manifestFile, "utf8"));
    await installCrds(kube, crdsForTests());
    const rbac = await cluster.kubectl(["apply", "-f", RBAC_DIR]);
    expect(rbac.code, rbac.stderr).toBe(0);
    for (const obj of peprSystemObjects()) await kube.apply(obj);
    built = rbacFromBuildOutput(await buildOutput, moduleName());
    for (const obj of rbacObjects(built)) await kube.apply(obj);
    expect((await cluster.kubectl(["create", "namespace", NS])).code).toBe(0);
    module = await startModule({
      kubeconfig: cluster.adminKubeconfig,
      identity: "service-account",
    });
  }, PEPR_BUILD_TIMEOUT_MS + 180_000);

  afterAll(async () => {
    if (module) log = moduleLog();
    await module?.stop();
    await cluster?.kubectl(["delete", "namespace", NS, "--wait=false"]);
    await cluster?.kubectl(["delete", "node", NODE, LATE_NODE, "--ignore-not-found"]);
    if (built) for (const obj of rbacObjects(built).reverse()) await kube.remove(obj);
    kube?.close();
  });

  it("is the identity init installs: the build's rules equal moduleRbac's", () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
      pepr: { rbac: PolicyRule[] };
    };
    const derived = moduleRbac(moduleName(), pkg.pepr.rbac, module!.capabilities);
    expect(rbacObjects(derived)).toEqual(rbacObjects(built));
  });

  it("builds a node's profile and its reader RBAC", async () => {
    expect((await apply(thermometerModel({ namespace: NS, properties: ["enable"] }))).code).toBe(0);
    const created = await apply(device("thermo-1", NODE));
    expect(created.code, created.stderr).toBe(0);
    await eventually("the profile ConfigMap and its reader Role", async () =>
      (await exists(["configmap", "-n", NS, profileConfigMapName(NODE)])) &&
      (await exists(["role", "-n", NS, profileReaderRoleName(NODE)]))
        ? true
        : undefined,
    );
  });

  it("admission denies a Device whose model does not exist", async () => {
    const r = await apply(device("thermo-bad", NODE, "no-such-model"));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("denied the request");
  });

  it("grants the edge role to an allow-listed node, which then reports its Device", async () => {
    const node = await cluster.nodeIdentity(NODE); // allow-listed by the harness
    const registered = await kubeRequest(node, "POST", "/api/v1/nodes", {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: NODE, labels: { [EDGE_AGENT_LABEL]: EDGE_AGENT_LABEL_VALUE } },
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    await eventually("the edge role label", async () => {
      const r = await cluster.kubectl(["get", "node", NODE, "-o", "jsonpath={.metadata.labels}"]);
      return r.stdout.includes(`"${EDGE_NODE_ROLE_LABEL}":""`) ? true : undefined;
    });
    const reported = await kubeRequest(
      node,
      "PATCH",
      `${DEVICES}/thermo-1`,
      {
        status: {
          twins: [
            {
              propertyName: "enable",
              reported: { value: "ON", metadata: { type: "string" } },
              desired: { value: "ON", metadata: { type: "string" } },
            },
          ],
        },
      },
      "application/merge-patch+json",
    );
    expect(reported.status, JSON.stringify(reported.body)).toBe(200);
  });

  it("marks the node's Devices unknown when the node reports NotReady", async () => {
    const node = await cluster.nodeIdentity(NODE);
    const now = new Date().toISOString();
    const notReady = await kubeRequest(
      node,
      "PATCH",
      `/api/v1/nodes/${NODE}/status`,
      {
        status: {
          conditions: [
            {
              type: "Ready",
              status: "False",
              reason: "E2eNotReady",
              message: "scoped-rbac e2e",
              lastHeartbeatTime: now,
              lastTransitionTime: now,
            },
          ],
        },
      },
      "application/merge-patch+json",
    );
    expect(notReady.status, JSON.stringify(notReady.body)).toBe(200);
    await eventually("the Device state unknown", async () => {
      const r = await cluster.kubectl([
        ...["get", "device", "-n", NS, "thermo-1", "-o", "jsonpath={.status.state}"],
      ]);
      return r.stdout === "unknown" ? true : undefined;
    });
  });

  it("made no request the apiserver refused its identity", () => {
    const refused = forbiddenRequests(moduleLog());
    expect(refused, `the module's ClusterRole lacks: ${refused.join("; ")}`).toEqual([]);
  });

  it("a permission taken away shows in the check, named", async () => {
    const rules = built.clusterRole.rules.map(r =>
      r.resources.includes("configmaps") ? { ...r, verbs: r.verbs.filter(v => v !== "create") } : r,
    );
    await kube.apply({ ...built.clusterRole, rules });
    try {
      expect((await apply(device("thermo-late", LATE_NODE))).code).toBe(0);
      const refused = await eventually("the module's refused create of a ConfigMap", async () => {
        const found = forbiddenRequests(moduleLog());
        return found.some(f => f.startsWith("create configmaps")) ? found : undefined;
      });
      expect(refused.join("\n")).toContain(`create configmaps in namespace ${NS}`);
    } finally {
      await kube.apply(built.clusterRole);
    }
    await eventually("the late node's profile once the permission is back", async () =>
      (await exists(["configmap", "-n", NS, profileConfigMapName(LATE_NODE)])) ? true : undefined,
    );
  });
});
