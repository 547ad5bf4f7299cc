/**
 * Device profiles against a real apiserver with the module running: the profile ConfigMap
 * follows create, update, model change, node move and delete (golden files under golden/),
 * reader RBAC and the Node annotation follow the devices, hand edits are undone, and a node
 * identity reads its own profile only.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DeviceProfile,
  NODE_DEVICE_NAMESPACES_ANNOTATION,
  PROFILE_CONFIGMAP_KEY,
  profileConfigMapName,
  profileReaderRoleName,
} from "@kubeedge-ts/contract";
import { thermometerDevice, thermometerModel } from "@kubeedge-ts/testkit";
import { readOrUpdateGolden } from "../../capabilities/profiles/golden.js";
import { eventually, testCluster, type TestCluster } from "../harness.js";
import { crdsForTests, installCrds } from "../../local/cloud-runner/crds.js";
import { loadKube } from "../../local/kube/kube.js";
import { startModule, type RunningModule } from "../../local/cloud-runner/module-runner.js";

const NS = "profiles-e2e";
const NODE_A = "profile-edge-a";
const NODE_B = "profile-edge-b";
const NODE_C = "profile-edge-c";
const GOLDEN = join(import.meta.dirname, "golden");

type Profile = DeviceProfile;

/** The fields these tests read from kubectl's JSON. */
interface Obj {
  metadata?: { annotations?: Record<string, string> };
  data?: Record<string, string>;
  rules?: { resourceNames?: string[] }[];
  status?: { state?: string; conditions?: { type: string; status: string }[] };
}
const offsetIs = (p: Profile, offset: number): boolean =>
  (p.deviceInstances[0].propertyVisitors?.[0].visitorConfig as { offset?: number }).offset ===
  offset;
const desiredIs = (p: Profile, value: string): boolean =>
  p.deviceInstances[0].twins?.[0]?.desired?.value === value;
const hasHumidity = (p: Profile): boolean =>
  p.deviceModels[0].properties.some(x => x.name === "humidity");

const model = (extra: object[] = []): object =>
  thermometerModel({ namespace: NS, properties: ["enable"], extra });

const device = (node: string, desired = "ON", offset = 0): object =>
  thermometerDevice({
    name: "thermo-1",
    namespace: NS,
    node,
    endpoint: { host: "127.0.0.1", port: 5020 },
    properties: ["enable"],
    desired: { enable: desired },
    temperatureOffset: offset,
  });

describe("device profiles", () => {
  let cluster: TestCluster;
  let module: RunningModule | undefined;

  const apply = async (obj: object): Promise<void> => {
    const r = await cluster.kubectl(["apply", "-f", "-"], { input: JSON.stringify(obj) });
    expect(r.code, r.stderr).toBe(0);
  };
  const getJson = async (args: string[], kubeconfig?: string): Promise<Obj | undefined> => {
    const r = await cluster.kubectl([...args, "-o", "json"], { kubeconfig });
    return r.code === 0 ? JSON.parse(r.stdout) : undefined;
  };
  const profileOf = async (node: string): Promise<unknown> => {
    const cm = await getJson(["get", "configmap", "-n", NS, profileConfigMapName(node)]);
    return cm ? JSON.parse(cm.data?.[PROFILE_CONFIGMAP_KEY] ?? "{}") : undefined;
  };
  /**
   * Waits until the profile of `node` shows the step's change (`shows`), then compares it with
   * the golden file `name`; waiting first keeps UPDATE_GOLDEN=1 from recording a stale profile.
   */
  const expectGolden = async (
    node: string,
    name: string,
    shows: (profile: Profile) => boolean,
  ): Promise<void> => {
    const profile = await eventually(`profile of ${node} to show the change`, async () => {
      const p = (await profileOf(node)) as Profile | undefined;
      return p && p.deviceInstances.length > 0 && shows(p) ? p : undefined;
    });
    expect(profile).toEqual(readOrUpdateGolden(join(GOLDEN, `${name}.json`), profile));
  };
  const gone = (args: string[]) =>
    eventually(`${args.join(" ")} to be gone`, async () => (await getJson(args)) === undefined);
  const annotation = async (node: string): Promise<string | undefined> =>
    (await getJson(["get", "node", node]))?.metadata?.annotations?.[
      NODE_DEVICE_NAMESPACES_ANNOTATION
    ];

  beforeAll(async () => {
    cluster = testCluster();
    await installCrds(loadKube(cluster.adminKubeconfig), crdsForTests());
    await cluster.kubectl(["create", "namespace", NS]);
    for (const name of [NODE_A, NODE_B, NODE_C]) {
      await cluster.kubectl(["apply", "-f", "-"], {
        input: JSON.stringify({
          apiVersion: "v1",
          kind: "Node",
          metadata: { name, labels: { "node-role.kubernetes.io/edge": "" } },
        }),
      });
    }
    module = await startModule({ kubeconfig: cluster.adminKubeconfig });
  });

  afterAll(async () => {
    await module?.stop();
    await cluster.kubectl(["delete", "namespace", NS, "--wait=false"]);
    await cluster.kubectl(["delete", "node", NODE_A, NODE_B, NODE_C]);
  });

  it("creates the profile, the reader grant and the node annotation", async () => {
    await apply(model());
    await apply(device(NODE_A));
    await expectGolden(NODE_A, "create", p => offsetIs(p, 0) && desiredIs(p, "ON"));
    const role = await getJson(["get", "role", "-n", NS, profileReaderRoleName(NODE_A)]);
    expect(role?.rules?.[0].resourceNames).toEqual([profileConfigMapName(NODE_A)]);
    await eventually("node annotation", async () => (await annotation(NODE_A)) === NS);
  });

  it("follows a device update", async () => {
    await apply(device(NODE_A, "OFF", 7));
    await expectGolden(NODE_A, "update", p => offsetIs(p, 7) && desiredIs(p, "OFF"));
  });

  it("follows a model change", async () => {
    await apply(
      model([
        {
          name: "humidity",
          type: { double: { accessMode: "ReadOnly", minimum: 0, maximum: 100 } },
        },
      ]),
    );
    await expectGolden(NODE_A, "model-change", hasHumidity);
  });

  it("lets a node read its own profile and refuses another node's", async () => {
    const kubeconfigA = await cluster.nodeIdentity(NODE_A);
    const own = await cluster.kubectl(
      ["get", "configmap", "-n", NS, profileConfigMapName(NODE_A)],
      { kubeconfig: kubeconfigA },
    );
    expect(own.code, own.stderr).toBe(0);
    const listOwn = await cluster.kubectl(
      [
        "get",
        "configmap",
        "-n",
        NS,
        "--field-selector",
        `metadata.name=${profileConfigMapName(NODE_A)}`,
      ],
      { kubeconfig: kubeconfigA },
    );
    expect(listOwn.code, listOwn.stderr).toBe(0);
    await apply({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: profileConfigMapName(NODE_B), namespace: NS },
      data: { x: "y" },
    });
    const other = await cluster.kubectl(
      ["get", "configmap", "-n", NS, profileConfigMapName(NODE_B)],
      { kubeconfig: kubeconfigA },
    );
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain("forbidden");
    const all = await cluster.kubectl(["get", "configmaps", "-n", NS], { kubeconfig: kubeconfigA });
    expect(all.stderr).toContain("forbidden");
    await cluster.kubectl(["delete", "configmap", "-n", NS, profileConfigMapName(NODE_B)]);
  });

  it("restores a hand-edited and a deleted profile", async () => {
    const r = await cluster.kubectl([
      "patch",
      "configmap",
      "-n",
      NS,
      profileConfigMapName(NODE_A),
      "--type=merge",
      "-p",
      JSON.stringify({ data: { [PROFILE_CONFIGMAP_KEY]: "{}" } }),
    ]);
    expect(r.code, r.stderr).toBe(0);
    await expectGolden(NODE_A, "model-change", hasHumidity);
    const d = await cluster.kubectl([
      "delete",
      "configmap",
      "-n",
      NS,
      profileConfigMapName(NODE_A),
    ]);
    expect(d.code, d.stderr).toBe(0);
    await expectGolden(NODE_A, "model-change", hasHumidity);
  });

  it("moves the profile with the device to another node", async () => {
    await apply(device(NODE_B, "OFF", 7));
    await expectGolden(NODE_B, "node-move", hasHumidity);
    await gone(["get", "configmap", "-n", NS, profileConfigMapName(NODE_A)]);
    await gone(["get", "role", "-n", NS, profileReaderRoleName(NODE_A)]);
    await gone(["get", "rolebinding", "-n", NS, profileReaderRoleName(NODE_A)]);
    await eventually(
      "annotations to move",
      async () => (await annotation(NODE_A)) === undefined && (await annotation(NODE_B)) === NS,
    );
  });

  it("removes profile, grant and annotation when the last device goes", async () => {
    const r = await cluster.kubectl(["delete", "device", "-n", NS, "thermo-1"]);
    expect(r.code, r.stderr).toBe(0);
    await gone(["get", "configmap", "-n", NS, profileConfigMapName(NODE_B)]);
    await gone(["get", "role", "-n", NS, profileReaderRoleName(NODE_B)]);
    await gone(["get", "rolebinding", "-n", NS, profileReaderRoleName(NODE_B)]);
    await eventually("annotation removed", async () => (await annotation(NODE_B)) === undefined);
    const node = await getJson(["get", "node", NODE_B]);
    const cond = node?.status?.conditions?.find(
      (c: { type: string }) => c.type === "DeviceProfilesSynced",
    );
    expect(cond?.status).toBe("True");
  });

  it("marks the devices of a NotReady node unknown and restores them when it is Ready", async () => {
    const setReady = async (status: "True" | "False"): Promise<void> => {
      const now = new Date().toISOString();
      const condition = {
        type: "Ready",
        status,
        reason: "Test",
        message: "set by test",
        lastHeartbeatTime: now,
        lastTransitionTime: now,
      };
      const r = await cluster.kubectl([
        "patch",
        "node",
        NODE_C,
        "--subresource=status",
        "--type=strategic",
        "-p",
        JSON.stringify({ status: { conditions: [condition] } }),
      ]);
      expect(r.code, r.stderr).toBe(0);
    };
    const stateOf = async (): Promise<{ state?: string; saved?: string }> => {
      const d = await getJson(["get", "device", "-n", NS, "thermo-c"]);
      return {
        state: d?.status?.state,
        saved: d?.metadata?.annotations?.["devices.kubeedge.io/state-before-unknown"],
      };
    };
    await setReady("True");
    const dev = device(NODE_C) as { metadata: { name: string }; status: { state?: string } };
    dev.metadata.name = "thermo-c";
    dev.status.state = "online";
    await apply(dev);
    await setReady("False");
    await eventually("device state unknown", async () => (await stateOf()).state === "unknown");
    expect((await stateOf()).saved).toBe("online");
    await setReady("True");
    await eventually("device state restored", async () => {
      const s = await stateOf();
      return s.state === "online" && s.saved === undefined;
    });
  });
});
