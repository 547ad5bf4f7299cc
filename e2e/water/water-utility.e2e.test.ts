/**
 * The water utility end to end with real processes: the samples applied with kubectl, the Modbus
 * mapper as a pod on an edge agent with a real containerd, the simulated plant over Modbus TCP.
 * One setup shared by the scenarios, in order: the full loop (reported values up, a desired
 * valve position down to the register, the level responding), a Device added to the running
 * mapper pod, and the cloud cut for 60 s with the readings caught up afterwards.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "@kubeedge-ts/testkit";
import { agentConfigYaml } from "../../cli/demo/agent-config.js";
import { demoManifests } from "../../cli/demo/manifests.js";
import { deviceRow } from "../../cli/demo/snapshot.js";
import { type Cri, connectCri } from "../../edge-agent/src/edged/cri/client.js";
import { Label } from "../../edge-agent/src/edged/spec/labels.js";
import {
  buildImage,
  importImages,
  modbusMapperOptions,
  nodeAppImage,
} from "../../local/images/index.js";
import { startWaterPlant, WATER_DEVICES, type WaterPlant } from "../../local/plant/index.js";
import { type RealCloud, startRealCloud } from "../devicetwin/real-cloud.js";
import { AgentProcess, metric, tempDir } from "../edge-agent/agent.js";
import { eventually, testCluster, testContainerd } from "../harness.js";
import {
  apply,
  createPodNamespace,
  isReady,
  kubectlJson,
  podsWith,
} from "../edged/cluster-pods.js";

const cluster = testCluster();
const containerd = testContainerd();
const NODE = "water-1";
const NS = "water-e2e";
const dataDir = tempDir("water");
let plant: WaterPlant;
let agent: AgentProcess;
let healthzPort: number;
let cri: Cri;
let cloud: RealCloud;

type Manifest = Record<string, unknown> & { kind: string; metadata: Record<string, unknown> };

/** The samples for this node, in the test's namespace, the mapper pinned to this node. */
async function manifests(mqttUrl: string): Promise<Manifest[]> {
  const all = demoManifests({
    node: NODE,
    gateway: { host: plant.host, port: plant.port },
    mqttUrl,
    mapperHttpPort: await freePort(),
  }) as Manifest[];
  return all
    .filter(m => m.kind !== "Deployment" || m.metadata.name === "modbus-mapper")
    .map(m => {
      const copy = structuredClone(m);
      copy.metadata.namespace = NS;
      if (copy.kind === "Deployment") {
        // Other tests' nodes may carry modbus=true as well: this mapper belongs on this node.
        const pod = (copy as unknown as { spec: { template: { spec: Record<string, unknown> } } })
          .spec.template.spec;
        pod.nodeSelector = { ...(pod.nodeSelector as object), "kubernetes.io/hostname": NODE };
      }
      return copy;
    });
}

interface DeviceJson {
  metadata: { name: string };
  status?: { twins?: { propertyName: string; reported?: { value?: string } }[] };
}

async function reported(device: string, property: string): Promise<number | undefined> {
  const d = await kubectlJson<DeviceJson>(cluster, ["get", "device", device, "-n", NS]);
  const v = deviceRow(d).twins.find(t => t.property === property)?.reported;
  return v === undefined ? undefined : Number(v);
}

/** The mapper pod's running container id (the CRI view). */
async function mapperContainer(): Promise<string | undefined> {
  const list = await cri.listContainers({ labelSelector: { [Label.Node]: NODE } });
  return list.find(
    c => c.state === "CONTAINER_RUNNING" && c.labels[Label.PodName]?.startsWith("modbus-mapper"),
  )?.id;
}

let mapperId: string;

beforeAll(async () => {
  // The cloud module turns the Devices into the node's profile ConfigMap.
  cloud = await startRealCloud(cluster, []);
  const built = await buildImage(await nodeAppImage(modbusMapperOptions()));
  await importImages(containerd.address, [built]);
  plant = await startWaterPlant({ initialLevelM: 5 });
  healthzPort = await freePort();
  const mqttUrl = `tcp://127.0.0.1:${await freePort()}`;
  const configFile = join(dataDir, "agent.yaml");
  writeFileSync(
    configFile,
    agentConfigYaml({
      node: NODE,
      dataDir,
      kubeconfig: await cluster.nodeIdentity(NODE),
      runtimeEndpoint: containerd.endpoint,
      healthzPort,
      kubeletPort: 0,
      mqttUrl,
      namespace: NS,
    }),
  );
  cri = await connectCri(containerd.endpoint);
  await createPodNamespace(cluster, NS);
  agent = AgentProcess.cli(["--config", configFile]);
  await agent.healthPort();
  await apply(cluster, ...(await manifests(mqttUrl.replace(/^tcp:/, "mqtt:"))));
}, 600_000);

afterAll(async () => {
  await cluster.startApiServer().catch(() => undefined);
  await cluster.kubectl(["delete", "namespace", NS, "--wait=false"]);
  if (agent && !agent.exited) {
    await eventually(
      "the node's containers removed",
      async () => !(await mapperContainer()),
      90_000,
    ).catch(() => undefined);
  }
  await agent?.kill("SIGKILL");
  await plant?.stop();
  await cloud?.stop();
  cri?.close();
});

describe("the water utility on an edge node", () => {
  it("(1) runs the mapper pod, reports every device, and moves the valve from the cloud", async () => {
    await eventually(
      "the mapper pod Running and Ready on the node",
      async () => {
        const pods = await podsWith(cluster, NS, "app=modbus-mapper");
        return pods.length === 1 && pods[0]!.spec.nodeName === NODE && isReady(pods[0]!);
      },
      180_000,
      1000,
    );
    mapperId = (await mapperContainer())!;
    expect(mapperId).toBeDefined();
    await eventually(
      "the tank level, line pressure and valve reported in the Devices' status",
      async () => {
        const level = await reported(WATER_DEVICES.level, "level");
        const pressure = await reported(WATER_DEVICES.pressure, "pressure");
        const position = await reported(WATER_DEVICES.valve, "position");
        return (
          level !== undefined &&
          Math.abs(level - plant.state().levelM) < 0.5 &&
          pressure !== undefined &&
          Math.abs(pressure - plant.state().pressureBar) < 0.2 &&
          position === 30
        );
      },
      120_000,
      1000,
    );
    expect(await plant.commandedPercent()).toBe(30);

    const patch = { status: { twins: [{ propertyName: "position", desired: { value: "100" } }] } };
    const r = await cluster.kubectl([
      "patch",
      "device",
      WATER_DEVICES.valve,
      "-n",
      NS,
      "--type=merge",
      "-p",
      JSON.stringify(patch),
    ]);
    expect(r.code, r.stderr).toBe(0);
    await eventually(
      "the valve's holding register at 100",
      async () => (await plant.commandedPercent()) === 100,
      60_000,
      500,
    );
    const high = plant.state().levelM;
    await eventually(
      "the tank draining through the open valve",
      async () => plant.state().levelM < high - 0.1,
      60_000,
      1000,
    );
    await eventually(
      "the falling level in the Device's status",
      async () => ((await reported(WATER_DEVICES.level, "level")) ?? 99) < high - 0.1,
      60_000,
      1000,
    );
  }, 600_000);

  it("(5) reports a Device added to the node from the same mapper container", async () => {
    const [, , , level] = (await manifests("mqtt://unused"))
      .filter(m => m.kind !== "Deployment")
      .slice(0, 4);
    const second = structuredClone(level!) as Manifest;
    second.metadata.name = "reservoir-level-2";
    await apply(cluster, second);
    await eventually(
      "the new Device's level reported",
      async () => (await reported("reservoir-level-2", "level")) !== undefined,
      120_000,
      1000,
    );
    expect(await mapperContainer()).toBe(mapperId);
    const [pod] = await podsWith(cluster, NS, "app=modbus-mapper");
    expect(pod!.status.containerStatuses?.[0]?.restartCount).toBe(0);
  }, 300_000);

  it("(2) keeps reading through a 60 s cloud cut and catches the Devices up after it", async () => {
    await cluster.stopApiServer();
    const cutAt = Date.now();
    await eventually(
      "the agent to see the cloud gone",
      async () => (await metric(healthzPort, "kubeedge_edge_cloud_connected")) === 0,
      60_000,
      500,
    );
    await eventually(
      "status reports queued in the outbox",
      async () => (await metric(healthzPort, "kubeedge_edge_outbox_depth")) > 0,
      60_000,
      1000,
    );
    await new Promise(r => setTimeout(r, Math.max(0, 60_000 - (Date.now() - cutAt))));
    await cluster.startApiServer();
    await eventually(
      "the latest level in the apiserver",
      async () =>
        Math.abs(((await reported(WATER_DEVICES.level, "level")) ?? 99) - plant.state().levelM) <
        0.3,
      120_000,
      1000,
    );
    expect(await mapperContainer()).toBe(mapperId);
  }, 400_000);
});
