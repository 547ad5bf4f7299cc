/**
 * Admission against a real apiserver with the module running: the samples apply, every broken
 * manifest in fixtures/broken/ is refused with its expected message (first `# expect:` line;
 * `# action: delete` deletes instead of applying), new edge nodes get their defaults, pods bound
 * for edge nodes get the edge toleration, and an edge node's identity may only patch reported
 * values, state and last-online time of its own devices.
 */
// kubectl -o json output is read loosely, field by field.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEVICE_MODEL_LABEL,
  DEVICE_NODE_LABEL,
  DEVICE_PROTOCOL_LABEL,
} from "@kubeedge-ts/contract";
import { testCluster, type TestCluster } from "../harness.js";
import { kubeRequest } from "../../local/kube/kube-request.js";
import { installCrds, readCrds } from "../../local/cloud-runner/crds.js";
import { loadKube } from "../../local/kube/kube.js";
import { RBAC_DIR } from "../../local/cloud-runner/manifests.js";
import {
  REPO_ROOT,
  startModule,
  type RunningModule,
} from "../../local/cloud-runner/module-runner.js";

const NS = "admission-e2e";
const NODE = "edge-node-1"; // the node every sample is bound to
const OTHER = "edge-x";
const SAMPLES = join(REPO_ROOT, "samples");
const BROKEN = join(import.meta.dirname, "fixtures", "broken");
const DEVICE = "modbus-thermometer-01";
const DEVICE_PATH = `/apis/devices.kubeedge.io/v1alpha2/namespaces/${NS}/devices/${DEVICE}`;

const sampleFiles = readdirSync(SAMPLES)
  .filter(f => f.endsWith(".yaml") && !f.includes("mapper-deployment"))
  .sort();
const brokenFiles = readdirSync(BROKEN)
  .filter(f => f.endsWith(".yaml"))
  .sort();

function directive(text: string, name: string): string | undefined {
  return text.match(new RegExp(`^# ${name}: (.*)$`, "m"))?.[1];
}

const edgeNode = (name: string): string =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "node-role.kubernetes.io/edge": "" } },
  });

describe("admission", () => {
  let cluster: TestCluster;
  let module: RunningModule | undefined;
  let nodeKubeconfig: string;
  let otherKubeconfig: string;

  const getJson = async (args: string[]): Promise<any> => {
    const r = await cluster.kubectl([...args, "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };
  const device = (): Promise<any> => getJson(["get", "device", "-n", NS, DEVICE]);
  const nodePatch = (kubeconfig: string, body: object): Promise<{ status: number; body: any }> =>
    kubeRequest(kubeconfig, "PATCH", DEVICE_PATH, body, "application/merge-patch+json");
  const report = (value: string, extra: object = {}): object => ({
    status: {
      twins: [
        {
          propertyName: "temperature",
          reported: { value, metadata: { timestamp: String(Date.now()), type: "int" } },
        },
      ],
      state: "online",
      lastOnlineTime: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      ...extra,
    },
  });

  beforeAll(async () => {
    cluster = testCluster();
    await installCrds(loadKube(cluster.adminKubeconfig), readCrds());
    const rbac = await cluster.kubectl(["apply", "-f", RBAC_DIR]);
    expect(rbac.code, rbac.stderr).toBe(0);
    await cluster.kubectl(["create", "namespace", NS]);
    module = await startModule({ kubeconfig: cluster.adminKubeconfig });
    [nodeKubeconfig, otherKubeconfig] = await Promise.all([
      cluster.nodeIdentity(NODE),
      cluster.nodeIdentity(OTHER),
    ]);
  });

  afterAll(async () => {
    await module?.stop();
    await cluster?.kubectl(["delete", "namespace", NS, "--wait=false"]);
    await cluster?.kubectl(["delete", "node", NODE, OTHER, "--ignore-not-found"]);
  });

  it("gives a node joining with the edge role KubeEdge's defaults", async () => {
    for (const name of [NODE, OTHER]) {
      const r = await cluster.kubectl(["apply", "-f", "-"], { input: edgeNode(name) });
      expect(r.code, r.stderr).toBe(0);
    }
    const node = await getJson(["get", "node", NODE]);
    expect(node.metadata.labels).toMatchObject({
      "node-role.kubernetes.io/agent": "",
      "kubernetes.io/hostname": NODE,
    });
    expect(node.spec.taints).toContainEqual({
      key: "node-role.kubernetes.io/edge",
      effect: "NoSchedule",
    });
  });

  it.each(sampleFiles)("applies sample %s", async file => {
    const r = await cluster.kubectl(["apply", "-n", NS, "-f", join(SAMPLES, file)]);
    expect(r.code, r.stderr).toBe(0);
  });

  it("labels and defaults the sample devices", async () => {
    const d = await device();
    expect(d.metadata.labels).toMatchObject({
      [DEVICE_NODE_LABEL]: NODE,
      [DEVICE_MODEL_LABEL]: "modbus-thermometer",
      [DEVICE_PROTOCOL_LABEL]: "modbus",
    });
    const enable = d.spec.propertyVisitors.find(
      (v: any) => v.propertyName === "temperature-enable",
    );
    // Unset cycles stay unset (KubeEdge's profile omits them); a Modbus scale defaults to 1.
    expect(enable).toEqual({
      propertyName: "temperature-enable",
      modbus: { register: "CoilRegister", offset: 2, limit: 1, scale: 1 },
    });
    expect(d.status.twins[0].desired).toEqual({ value: "ON", metadata: { type: "string" } });
    const table = await cluster.kubectl(["get", "dev", "-n", NS, DEVICE]);
    expect(table.stdout).toMatch(/MODEL\s+NODE\s+PROTOCOL\s+STATE\s+AGE/);
    expect(table.stdout).toMatch(
      new RegExp(`${DEVICE}\\s+modbus-thermometer\\s+${NODE}\\s+modbus`),
    );
  });

  it("refuses a second Device of the same name on the same node in another namespace", async () => {
    const other = `${NS}-other`;
    expect((await cluster.kubectl(["create", "namespace", other])).code).toBe(0);
    const sample = await device();
    const copy = (node: string): string =>
      JSON.stringify({
        apiVersion: sample.apiVersion,
        kind: "Device",
        metadata: { name: DEVICE, namespace: other },
        spec: {
          ...sample.spec,
          nodeSelector: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: "", operator: "In", values: [node] }] },
            ],
          },
        },
      });
    const model = await getJson(["get", "devicemodel", "-n", NS, "modbus-thermometer"]);
    const r0 = await cluster.kubectl(["apply", "-f", "-"], {
      input: JSON.stringify({
        apiVersion: model.apiVersion,
        kind: "DeviceModel",
        metadata: { name: "modbus-thermometer", namespace: other },
        spec: model.spec,
      }),
    });
    expect(r0.code, r0.stderr).toBe(0);
    const same = await cluster.kubectl(["apply", "-f", "-"], { input: copy(NODE) });
    expect(same.code, same.stdout).not.toBe(0);
    expect(same.stderr).toContain(
      `metadata.name: "${DEVICE}" is already used on node ${NODE} by Device ${NS}/${DEVICE}`,
    );
    const elsewhere = await cluster.kubectl(["apply", "-f", "-"], { input: copy(OTHER) });
    expect(elsewhere.code, elsewhere.stderr).toBe(0);
    await cluster.kubectl(["delete", "namespace", other, "--wait=false"]);
  });

  it.each(brokenFiles)("refuses %s with its message", async file => {
    const path = join(BROKEN, file);
    const text = readFileSync(path, "utf8");
    const expected = directive(text, "expect");
    expect(expected, `${file} has no "# expect:" line`).toBeTruthy();
    const verb = directive(text, "action") === "delete" ? "delete" : "apply";
    const r = await cluster.kubectl([verb, "-n", NS, "-f", path]);
    expect(r.code, `${file} was accepted: ${r.stdout}`).not.toBe(0);
    expect(r.stderr).toContain(expected);
  });

  it("adds the edge toleration to a pod that targets edge nodes", async () => {
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "edge-app", namespace: NS },
      spec: {
        nodeSelector: { "node-role.kubernetes.io/edge": "" },
        containers: [{ name: "app", image: "busybox" }],
        volumes: [{ name: "cfg", configMap: { name: "cfg" } }],
      },
    };
    const r = await cluster.kubectl(["create", "--dry-run=server", "-o", "json", "-f", "-"], {
      input: JSON.stringify(pod),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).spec.tolerations).toContainEqual({
      key: "node-role.kubernetes.io/edge",
      operator: "Exists",
      effect: "NoSchedule",
    });
  });

  describe("an edge node's identity", () => {
    it("patches reported values and state of its own device and keeps the desired values", async () => {
      const r = await nodePatch(nodeKubeconfig, report("25"));
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const d = await device();
      expect(d.status.state).toBe("online");
      expect(d.status.lastOnlineTime).toMatch(/^\d{4}-\d\d-\d\dT/);
      const twins = Object.fromEntries(d.status.twins.map((t: any) => [t.propertyName, t]));
      expect(twins.temperature.reported.value).toBe("25");
      expect(twins["temperature-enable"].desired.value).toBe("ON");
      expect(d.spec.deviceModelRef.name).toBe("modbus-thermometer");
    });

    it("keeps the reported values when the user re-applies the sample", async () => {
      const r = await cluster.kubectl([
        "apply",
        "-n",
        NS,
        "-f",
        join(SAMPLES, "modbus-tcp-thermometer.yaml"),
      ]);
      expect(r.code, r.stderr).toBe(0);
      const d = await device();
      const temp = d.status.twins.find((t: any) => t.propertyName === "temperature");
      expect(temp.reported.value).toBe("25");
      expect(d.status.state).toBe("online");
    });

    it.each([
      {
        name: "another node's device",
        kubeconfig: () => otherKubeconfig,
        body: report("1"),
        message: `node ${OTHER} may not write Device ${NS}/${DEVICE}: it is bound to node ${NODE}`,
      },
      {
        name: "the device spec",
        kubeconfig: () => nodeKubeconfig,
        body: { spec: { protocol: { modbus: { slaveID: 9 } } } },
        message: "nodes may not change spec",
      },
      {
        name: "a desired value",
        kubeconfig: () => nodeKubeconfig,
        body: {
          status: {
            twins: [
              {
                propertyName: "temperature-enable",
                desired: { value: "OFF" },
                reported: { value: "OFF" },
              },
            ],
          },
        },
        message: "may not change the desired value of temperature-enable",
      },
      {
        name: "a label",
        kubeconfig: () => nodeKubeconfig,
        body: { metadata: { labels: { [DEVICE_NODE_LABEL]: OTHER } } },
        message: "nodes may not change metadata.labels",
      },
      {
        name: "a property the model does not declare",
        kubeconfig: () => nodeKubeconfig,
        body: { status: { twins: [{ propertyName: "humidity", reported: { value: "40" } }] } },
        message:
          'reports property \\"humidity\\", which DeviceModel modbus-thermometer does not declare',
      },
    ])("is refused when it patches $name", async ({ kubeconfig, body, message }) => {
      const before = await device();
      const r = await nodePatch(kubeconfig(), body);
      expect(r.status).not.toBe(200);
      expect(JSON.stringify(r.body)).toContain(message);
      const after = await device();
      expect(after.spec).toEqual(before.spec);
      expect(after.status).toEqual(before.status);
    });

    it.each([
      ["get", "device", DEVICE],
      ["get", "devices"],
      ["get", "devicemodel", "modbus-thermometer"],
      ["get", "devicemodels"],
    ])("is refused when it runs kubectl %s %s %s", async (...args) => {
      const r = await cluster.kubectl([...args.filter(Boolean), "-n", NS], {
        kubeconfig: nodeKubeconfig,
      });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain("forbidden");
    });
  });
});
