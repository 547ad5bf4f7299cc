/**
 * The water utility end to end with real processes: the samples applied with kubectl, the Modbus
 * mapper and the edge application as pods on an edge agent with a real containerd, the simulated
 * plant over Modbus TCP. One setup shared by the scenarios, in order: the full loop (reported
 * values up, a desired valve position down to the register, the level responding), a Device
 * added to the running mapper pod, the edge application controlling the valve through a 60 s
 * cloud cut, and the agent killed with -9 while offline and started again.
 */
import { freePort } from "@kubeedge-ts/testkit";
import { type Cri, connectCri } from "../../edge-agent/src/edged/cri/client.js";
import {
  buildImage,
  importImages,
  modbusMapperOptions,
  nodeAppImage,
} from "../../local/images/index.js";
import {
  startWaterPlant,
  WATER_DEVICES,
  type WaterPlant,
  waterAppImage,
} from "../../local/plant/index.js";
import { valveCommand, type ControlSettings } from "../../samples/water-utility/src/control.js";
import { settingsFromEnv } from "../../samples/water-utility/src/settings.js";
import { type RealCloud, startRealCloud } from "../devicetwin/real-cloud.js";
import { metric } from "../edge-agent/agent.js";
import { eventually, testCluster, testContainerd } from "../harness.js";
import {
  apply,
  createPodNamespace,
  isReady,
  kubectlJson,
  podsWith,
} from "../edged/cluster-pods.js";
import {
  APP_DEPLOYMENT,
  deployment,
  literalEnv,
  MAPPER_DEPLOYMENT,
  type Manifest,
  WaterNode,
} from "./water-node.js";
import { LevelHistory } from "./level-history.js";

const cluster = testCluster();
const containerd = testContainerd();
const NODE = "water-1";
const NS = "water-e2e";
let plant: WaterPlant;
let edge: WaterNode;
let cri: Cri;
let cloud: RealCloud;
let samples: Manifest[];
let levels: LevelHistory;
/** The control law as the sample Deployment configures the application. */
let control: ControlSettings;

const reported = (device: string, property: string) => edge.reported(cluster, device, property);
const connected = async () => metric(edge.healthzPort, "kubeedge_edge_cloud_connected");
const outbox = async () => metric(edge.healthzPort, "kubeedge_edge_outbox_depth");

/** The register holds what the application commanded for a level the tank had lately. */
async function valveFollowsApp(): Promise<boolean> {
  const register = await plant.commandedPercent();
  return levels
    .recent(30_000)
    .some(
      levelM => Math.abs(valveCommand({ levelM }, control) - register) <= control.deadbandPercent,
    );
}

async function nodePods(): Promise<Map<string, { uid: string; restarts: number }>> {
  const list = await kubectlJson<{ items: Parameters<typeof isReady>[0][] }>(cluster, [
    "get",
    "pods",
    "-n",
    NS,
  ]);
  return new Map(
    list.items.map(p => [
      p.metadata.name,
      {
        uid: p.metadata.uid,
        restarts: (p.status.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0),
      },
    ]),
  );
}

async function latestLevelInApiserver(): Promise<void> {
  await eventually(
    "the latest level in the apiserver",
    async () =>
      Math.abs(((await reported(WATER_DEVICES.level, "level")) ?? 99) - plant.state().levelM) < 0.3,
    120_000,
    1000,
  );
}

const ids: { mapper?: string; app?: string } = {};

/**
 * Moves the level far from where the valve's command has it (above the target when the valve is
 * mostly shut, below it when open) and waits for the application's new command in the register.
 */
async function disturbAndFollow(what: string): Promise<void> {
  const before = await plant.commandedPercent();
  const open = before < 50;
  plant.setLevel(control.targetLevelM + (open ? 1.5 : -1));
  await eventually(
    what,
    async () => {
      const now = await plant.commandedPercent();
      return (open ? now > before + 20 : now < before - 20) && (await valveFollowsApp());
    },
    60_000,
    500,
  );
}

beforeAll(async () => {
  // The cloud module turns the Devices into the node's profile ConfigMap.
  cloud = await startRealCloud(cluster, []);
  const built = [
    await buildImage(await nodeAppImage(modbusMapperOptions())),
    await buildImage(await waterAppImage()),
  ];
  await importImages(containerd.address, built);
  plant = await startWaterPlant({ initialLevelM: 5 });
  levels = new LevelHistory(() => plant.state().levelM);
  cri = await connectCri(containerd.endpoint);
  await createPodNamespace(cluster, NS);
  edge = await WaterNode.start(cluster, containerd, NODE, NS);
  samples = edge.manifests(plant, await freePort());
  control = settingsFromEnv(literalEnv(deployment(samples, APP_DEPLOYMENT))).control;
  // The application comes in scenario 2: until then the cloud alone sets the valve.
  await apply(cluster, ...samples.filter(m => m.metadata.name !== APP_DEPLOYMENT));
}, 600_000);

afterAll(async () => {
  levels?.stop();
  await cluster.startApiServer().catch(() => undefined);
  await cluster.kubectl(["delete", "namespace", NS, "--wait=false"]);
  if (edge?.agent && !edge.agent.exited) {
    await eventually(
      "the node's containers removed",
      async () => !(await edge.container(cri, "")),
      90_000,
    ).catch(() => undefined);
  }
  await edge?.agent.kill("SIGKILL");
  await plant?.stop();
  await cloud?.stop();
  cri?.close();
});

describe("the water utility on an edge node", () => {
  it("(1) runs the mapper pod, reports every device, and moves the valve from the cloud", async () => {
    await edge.podReady(cluster, MAPPER_DEPLOYMENT);
    ids.mapper = await edge.container(cri, MAPPER_DEPLOYMENT);
    expect(ids.mapper).toBeDefined();
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
    const level = samples.find(m => m.kind === "Device" && m.metadata.name === WATER_DEVICES.level);
    const second = structuredClone(level!);
    second.metadata.name = "reservoir-level-2";
    await apply(cluster, second);
    await eventually(
      "the new Device's level reported",
      async () => (await reported("reservoir-level-2", "level")) !== undefined,
      120_000,
      1000,
    );
    expect(await edge.container(cri, MAPPER_DEPLOYMENT)).toBe(ids.mapper);
    const [pod] = await podsWith(cluster, NS, `app=${MAPPER_DEPLOYMENT}`);
    expect(pod!.status.containerStatuses?.[0]?.restartCount).toBe(0);
  }, 300_000);

  it("(2) the edge app moves the valve from the level through a 60 s cloud cut; the Devices catch up", async () => {
    await apply(cluster, deployment(samples, APP_DEPLOYMENT));
    await edge.podReady(cluster, APP_DEPLOYMENT);
    ids.app = await edge.container(cri, APP_DEPLOYMENT);
    expect(ids.app).toBeDefined();
    // The cloud left the valve at 100 %: the application takes over from the level.
    plant.setLevel(control.targetLevelM);
    await eventually(
      "the application's command in the valve's register",
      async () => (await plant.commandedPercent()) < 60 && (await valveFollowsApp()),
      90_000,
      500,
    );

    await cluster.stopApiServer();
    const cutAt = Date.now();
    await eventually(
      "the agent to see the cloud gone",
      async () => (await connected()) === 0,
      60_000,
      500,
    );
    // A tanker tops the tank up, the application opens the valve; it closes it down again once
    // the level has dropped below its target.
    await disturbAndFollow("the valve opened by the application for the high level");
    await disturbAndFollow("the valve closed down by the application for the low level");
    expect(await outbox()).toBeGreaterThan(0);
    await new Promise(r => setTimeout(r, Math.max(0, 60_000 - (Date.now() - cutAt))));
    expect(await connected()).toBe(0);
    await cluster.startApiServer();
    await latestLevelInApiserver();
    expect(await edge.container(cri, MAPPER_DEPLOYMENT)).toBe(ids.mapper);
    expect(await edge.container(cri, APP_DEPLOYMENT)).toBe(ids.app);
  }, 400_000);

  it("(3) survives kill -9 of the agent while offline: pods kept, twins from SQLite, nothing recreated", async () => {
    const podsBefore = await nodePods();
    expect([...podsBefore.values()].every(p => p.restarts === 0)).toBe(true);
    await cluster.stopApiServer();
    await eventually(
      "the agent to see the cloud gone",
      async () => (await connected()) === 0,
      60_000,
      500,
    );
    await edge.agent.kill("SIGKILL");
    await edge.startAgent();
    expect(await connected()).toBe(0);

    // Twins from SQLite, the cloud still away: the application's command reaches the mapper as a
    // delta and the mapper's readings queue for the cloud.
    await disturbAndFollow("the restarted agent carrying the application's command to the valve");
    await eventually(
      "readings queued by the restarted agent",
      async () => (await outbox()) > 0,
      30_000,
      500,
    );
    expect(await edge.container(cri, MAPPER_DEPLOYMENT)).toBe(ids.mapper);
    expect(await edge.container(cri, APP_DEPLOYMENT)).toBe(ids.app);

    await cluster.startApiServer();
    await eventually(
      "the agent connected again",
      async () => (await connected()) === 1,
      60_000,
      500,
    );
    await latestLevelInApiserver();
    await eventually("the outbox drained", async () => (await outbox()) === 0, 60_000, 1000);
    // Nothing recreated: the same pods (uids), no restarts, the same containers.
    expect(await nodePods()).toEqual(podsBefore);
    expect(await edge.container(cri, MAPPER_DEPLOYMENT)).toBe(ids.mapper);
    expect(await edge.container(cri, APP_DEPLOYMENT)).toBe(ids.app);
  }, 400_000);
});
