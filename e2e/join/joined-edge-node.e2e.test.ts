/**
 * A node joined the way a user joins one — `kubeedge-ts token create`, `kubeedge-edge join`, the
 * agent started with the config join wrote — working with the cloud module: it becomes an edge
 * node with no admin step (its join CSR came through the edge bootstrap group), a Device bound to
 * it reports through a real MQTT client into the apiserver, and a pod runs on it (containerd);
 * `kubeedge-edge reset` then deletes its Node, and the module drops the allow-list entry it wrote.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DeviceTopicSuffix,
  EDGE_NODE_GRANTS_CONFIGMAP,
  EDGE_NODE_GRANTS_NAMESPACE,
  EDGE_NODE_ROLE_LABEL,
  EDGE_NODE_TAINT_KEY,
  deviceTopic,
} from "@kubeedge-ts/contract";
import { freePort, MqttRecorder, thermometerDevice, thermometerModel } from "@kubeedge-ts/testkit";
import { BUSYBOX_IMAGE } from "../../local/images/index.js";
import { kubeRequest } from "../../local/kube/kube-request.js";
import { startRealCloud, type RealCloud } from "../devicetwin/real-cloud.js";
import { AgentProcess, tempDir } from "../edge-agent/agent.js";
import {
  apply,
  createPodNamespace,
  edgePodSpec,
  isReady,
  kubectlJson,
  pod,
  type PodJson,
} from "../edged/cluster-pods.js";
import { eventually, testCluster, testContainerd } from "../harness.js";
import { createToken, kubeedgeEdge } from "./fixtures.js";

const cluster = testCluster();
const containerd = testContainerd();
const NODE = "joined-edge-loop";
const NS = "joined-edge";
const DEVICE = "thermo-joined";
const device = join(tempDir("joined-edge"), "device");
const GRANTS = `/api/v1/namespaces/${EDGE_NODE_GRANTS_NAMESPACE}/configmaps/${EDGE_NODE_GRANTS_CONFIGMAP}`;

interface NodeJson {
  metadata: { labels?: Record<string, string> };
  spec: { taints?: { key: string }[] };
}
interface DeviceJson {
  status?: { twins?: { propertyName: string; reported?: { value?: string } }[] };
}

let cloud: RealCloud | undefined;
let agent: AgentProcess | undefined;
let mqttPort = 0;
let tokenId = "";

/** What join wrote, plus one test-only setting: the run's containerd is shared with other tests. */
function keepOtherTestsImages(config: string): void {
  const cfg = parse(readFileSync(config, "utf8")) as { modules: Record<string, object> };
  cfg.modules.edged = { ...cfg.modules.edged, imageGCHighThresholdPercent: 100 };
  writeFileSync(config, stringify(cfg));
}

beforeAll(async () => {
  cloud = await startRealCloud(cluster, []);
  await createPodNamespace(cluster, NS);
  await apply(
    cluster,
    thermometerModel({ namespace: NS }),
    thermometerDevice({
      name: DEVICE,
      namespace: NS,
      node: NODE,
      endpoint: { host: "127.0.0.1", port: 5020 },
    }),
  );
  const token = await createToken(cluster.adminKubeconfig);
  tokenId = token.token.split(".")[0];
  const joined = await kubeedgeEdge([
    "join",
    ...["--server", token.server, "--token", token.token, "--ca-hash", token.caHash],
    ...["--node-name", NODE, "--data-dir", device],
  ]);
  expect(joined.code, joined.stderr).toBe(0);
  const config = join(device, "config.yaml");
  expect(joined.stdout.trim().split("\n").pop()).toBe(`kubeedge-edge --config ${config}`);
  keepOtherTestsImages(config);
  mqttPort = await freePort();
  agent = AgentProcess.cli([
    ...["--config", config, "--healthz-port", "0"],
    ...["--remote-runtime-endpoint", containerd.endpoint],
    ...["--mqtt-internal-server", `tcp://127.0.0.1:${mqttPort}`, "--mqtt-allow-anonymous"],
  ]);
  await agent.healthPort();
}, 300_000);

afterAll(async () => {
  await cluster.kubectl(["delete", "pod", "-n", NS, "hello", "--grace-period=1", "--wait=true"]);
  await agent?.kill("SIGTERM");
  await kubeedgeEdge(["reset", "--data-dir", device]); // a no-op once the test has reset it
  await cloud?.stop();
  await cluster.kubectl(["delete", "namespace", NS, "--wait=false"]);
  await kubeRequest(
    cluster.adminKubeconfig,
    "PATCH",
    GRANTS,
    { data: { [NODE]: null } },
    "application/merge-patch+json",
  );
});

describe("a node joined with a bootstrap token", () => {
  it("becomes an edge node without an admin step", async () => {
    const node = await eventually("the edge role and its taint", async () => {
      const n = await kubectlJson<NodeJson>(cluster, ["get", "node", NODE]).catch(() => undefined);
      const tainted = (n?.spec.taints ?? []).some(t => t.key === EDGE_NODE_TAINT_KEY);
      return tainted ? n : undefined;
    });
    expect(node.metadata.labels?.[EDGE_NODE_ROLE_LABEL]).toBe("");
    const grants = await kubeRequest<{ data?: Record<string, string> }>(
      cluster.adminKubeconfig,
      "GET",
      GRANTS,
    );
    expect(grants.body.data?.[NODE]).toContain(`system:bootstrap:${tokenId}`);
  });

  it("reports its Device's values through MQTT into the apiserver", async () => {
    const mapper = await MqttRecorder.start(`mqtt://127.0.0.1:${mqttPort}`, []);
    try {
      // Until the profile reaches the agent, a report for the device is not yet taken.
      await eventually(
        "the reported temperature in the Device's status",
        async () => {
          const now = Date.now();
          await mapper.publish(deviceTopic(DEVICE, DeviceTopicSuffix.TwinUpdate), {
            event_id: `joined-${now}`,
            timestamp: now,
            twin: {
              temperature: {
                actual: { value: "23", metadata: { timestamp: now } },
                metadata: { type: "int" },
              },
            },
          });
          const d = await kubectlJson<DeviceJson>(cluster, ["get", "device", "-n", NS, DEVICE]);
          const t = d.status?.twins?.find(x => x.propertyName === "temperature");
          return t?.reported?.value === "23" ? true : undefined;
        },
        90_000,
        1000,
      );
    } finally {
      await mapper.close();
    }
  });

  it("runs a pod through containerd", async () => {
    await apply(
      cluster,
      pod(
        NS,
        "hello",
        NODE,
        edgePodSpec(NODE, {
          containers: [
            {
              name: "hello",
              image: BUSYBOX_IMAGE,
              imagePullPolicy: "IfNotPresent",
              command: ["sh", "-c", "sleep 3600"],
            },
          ],
        }),
      ),
    );
    await eventually(
      "the pod Running and Ready on the joined node",
      async () => {
        const p = await kubectlJson<PodJson>(cluster, ["get", "pod", "-n", NS, "hello"]);
        return isReady(p) ? p : undefined;
      },
      120_000,
      500,
    );
  });

  it("is forgotten by the module once reset deletes its Node", async () => {
    await cluster.kubectl(["delete", "pod", "-n", NS, "hello", "--grace-period=1", "--wait=true"]);
    await agent?.kill("SIGTERM");
    const reset = await kubeedgeEdge(["reset", "--data-dir", device]);
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stderr).not.toContain("warning");
    await eventually("the joined node's allow-list entry removed", async () => {
      const grants = await kubeRequest<{ data?: Record<string, string> }>(
        cluster.adminKubeconfig,
        "GET",
        GRANTS,
      );
      return grants.body.data?.[NODE] === undefined ? true : undefined;
    });
  });
});
