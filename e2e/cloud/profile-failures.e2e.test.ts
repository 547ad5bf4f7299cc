/**
 * How the profile reconciler fails and recovers. A write the apiserver refuses (a ResourceQuota
 * that allows no more ConfigMaps) is retried with backoff and reported as an Event; once the
 * quota goes the retry writes the profile without any new watch event.
 *
 * The ConfigMap size limit: a profile over the budget is refused (the last good one stays), the
 * Node gets a ProfileTooLarge Event and DeviceProfilesSynced=False, and recovers when devices go.
 * The module runs with an 1,800-byte budget (one device takes ~900 bytes) so three devices are enough to cross it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROFILE_CONFIGMAP_KEY, profileConfigMapName } from "@kubeedge-ts/contract";
import { eventually, testCluster, type TestCluster } from "../harness.js";
import { crdsForTests, installCrds } from "../../local/cloud-runner/crds.js";
import { loadKube } from "../../local/kube/kube.js";
import { startModule, type RunningModule } from "../../local/cloud-runner/module-runner.js";

const NS = "profile-limit-e2e";
const NODE = "profile-limit-node";

const model = {
  apiVersion: "devices.kubeedge.io/v1alpha2",
  kind: "DeviceModel",
  metadata: { name: "meter", namespace: NS },
  spec: {
    properties: [
      { name: "level", type: { int: { accessMode: "ReadOnly", minimum: 0, maximum: 100 } } },
    ],
  },
};

const device = (name: string): object => ({
  apiVersion: "devices.kubeedge.io/v1alpha2",
  kind: "Device",
  metadata: { name, namespace: NS },
  spec: {
    deviceModelRef: { name: "meter" },
    protocol: { modbus: { slaveID: 1 }, common: { tcp: { ip: "10.1.2.3", port: 502 } } },
    nodeSelector: {
      nodeSelectorTerms: [{ matchExpressions: [{ key: "", operator: "In", values: [NODE] }] }],
    },
    propertyVisitors: [
      {
        propertyName: "level",
        modbus: { register: "HoldingRegister", offset: 0, limit: 1, scale: 1 },
      },
    ],
  },
});

describe("profile reconciler failures", () => {
  let cluster: TestCluster;
  let module: RunningModule | undefined;

  const apply = async (obj: object): Promise<void> => {
    const r = await cluster.kubectl(["apply", "-f", "-"], { input: JSON.stringify(obj) });
    expect(r.code, r.stderr).toBe(0);
  };
  const deviceCount = async (): Promise<number | undefined> => {
    const r = await cluster.kubectl([
      "get",
      "configmap",
      "-n",
      NS,
      profileConfigMapName(NODE),
      "-o",
      "json",
    ]);
    if (r.code !== 0) return undefined;
    return JSON.parse(JSON.parse(r.stdout).data[PROFILE_CONFIGMAP_KEY]).deviceInstances.length;
  };
  const condition = async (): Promise<{ status?: string; message?: string } | undefined> => {
    const r = await cluster.kubectl(["get", "node", NODE, "-o", "json"]);
    const conds = JSON.parse(r.stdout).status?.conditions ?? [];
    return conds.find((c: { type: string }) => c.type === "DeviceProfilesSynced");
  };

  beforeAll(async () => {
    cluster = testCluster();
    await installCrds(loadKube(cluster.adminKubeconfig), crdsForTests());
    await cluster.kubectl(["create", "namespace", NS]);
    await apply({ apiVersion: "v1", kind: "Node", metadata: { name: NODE } });
    module = await startModule({
      kubeconfig: cluster.adminKubeconfig,
      env: { KUBEEDGE_TS_PROFILE_MAX_BYTES: "1800" },
    });
  });

  afterAll(async () => {
    await module?.stop();
    await cluster.kubectl(["delete", "namespace", NS, "--wait=false"]);
    await cluster.kubectl(["delete", "node", NODE]);
  });

  it("keeps the last good profile and reports the overflow on the node", async () => {
    await apply(model);
    await apply(device("meter-1"));
    await eventually("profile with one device", async () => (await deviceCount()) === 1);
    await eventually("condition True", async () => (await condition())?.status === "True");

    await apply(device("meter-2"));
    await apply(device("meter-3"));
    const cond = await eventually("condition False", async () => {
      const c = await condition();
      return c?.status === "False" ? c : undefined;
    });
    expect(cond.message).toContain("over the 1800-byte ConfigMap budget");
    expect(await deviceCount()).toBeLessThan(3);
    const events = await cluster.kubectl([
      "get",
      "events",
      "-n",
      "default",
      "--field-selector",
      `involvedObject.name=${NODE},reason=ProfileTooLarge`,
      "-o",
      "json",
    ]);
    expect(JSON.parse(events.stdout).items.length).toBeGreaterThan(0);

    const r = await cluster.kubectl(["delete", "device", "-n", NS, "meter-2", "meter-3"]);
    expect(r.code, r.stderr).toBe(0);
    await eventually("condition True again", async () => (await condition())?.status === "True");
    expect(await deviceCount()).toBe(1);
  });

  it("retries a refused write with backoff, reports it, and recovers without a new event", async () => {
    const ns = "profile-retry-e2e";
    const node = "profile-retry-node";
    await cluster.kubectl(["create", "namespace", ns]);
    await apply({ apiVersion: "v1", kind: "Node", metadata: { name: node } });
    try {
      // kube-root-ca.crt already uses the one ConfigMap this quota allows.
      await apply({
        apiVersion: "v1",
        kind: "ResourceQuota",
        metadata: { name: "no-more-configmaps", namespace: ns },
        spec: { hard: { "count/configmaps": "1" } },
      });
      await eventually("quota usage computed", async () => {
        const r = await cluster.kubectl([
          "get",
          "resourcequota",
          "-n",
          ns,
          "no-more-configmaps",
          "-o",
          "jsonpath={.status.used}",
        ]);
        return r.stdout.includes("count/configmaps");
      });
      await apply({ ...model, metadata: { name: "meter", namespace: ns } });
      const d = device("meter-r") as {
        metadata: { namespace: string };
        spec: { nodeSelector: unknown };
      };
      d.metadata.namespace = ns;
      d.spec.nodeSelector = {
        nodeSelectorTerms: [{ matchExpressions: [{ key: "", operator: "In", values: [node] }] }],
      };
      await apply(d);
      const events = await eventually("a ProfileSyncFailed event", async () => {
        const r = await cluster.kubectl([
          "get",
          "events",
          "-n",
          ns,
          "--field-selector",
          "reason=ProfileSyncFailed",
          "-o",
          "json",
        ]);
        const items = r.code === 0 ? JSON.parse(r.stdout).items : [];
        return items.length > 0 ? items : undefined;
      });
      expect(events[0].message).toContain("exceeded quota");
      expect(events[0].message).toMatch(/attempt \d+, retry in \d+ ms/);
      const q = await cluster.kubectl(["delete", "resourcequota", "-n", ns, "no-more-configmaps"]);
      expect(q.code, q.stderr).toBe(0);
      await eventually("the profile after the retry", async () => {
        const r = await cluster.kubectl(["get", "configmap", "-n", ns, profileConfigMapName(node)]);
        return r.code === 0;
      });
    } finally {
      await cluster.kubectl(["delete", "namespace", ns, "--wait=false"]);
      await cluster.kubectl(["delete", "node", node]);
    }
  });
});
