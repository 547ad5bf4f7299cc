/**
 * samples/modbus-mapper-deployment.yaml as a user applies it: the mapper image built by
 * `kubeedge-ts images build` (umoci, no registry) imported into the node's containerd, the edge
 * agent running the pod through CRI, the profile mounted under its node-relative name, and a
 * pymodbus thermometer's register reaching `kubectl get device`. An agent restart (its broker
 * with it) restarts no container.
 *
 * The Deployment is applied as written but for its namespace (a test namespace, so parallel
 * tests cannot meet it). The mapper finds the broker and its login in the agent's reserved
 * Secret, so the agent's broker takes a free port; the mapper's HTTP port is fixed in the
 * sample (host network), so the file holds the machine-wide lock of e2e/sample-host-ports.ts.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MODBUS_NODE_LABEL } from "@kubeedge-ts/contract";
import {
  TEMPERATURE_REGISTER,
  freePort,
  startPymodbus,
  thermometerDevice,
  thermometerModel,
  type PymodbusServer,
} from "@kubeedge-ts/testkit";
import { parse } from "yaml";
import { onTestFailed } from "vitest";
import {
  buildImage,
  importImage,
  modbusMapperOptions,
  nodeAppImage,
} from "../../local/images/index.js";
import {
  startRealCloud,
  applyAdmitted,
  getDevice,
  reportedValue,
  type RealCloud,
} from "../devicetwin/real-cloud.js";
import { AgentProcess, tempDir } from "../edge-agent/agent.js";
import {
  createPodNamespace,
  isReady,
  podsWith,
  writeEdgedConfig,
  type PodJson,
} from "../edged/cluster-pods.js";
import { eventually, testCluster, testContainerd } from "../harness.js";
import { holdSampleHostPorts } from "../sample-host-ports.js";

const cluster = testCluster();
const containerd = testContainerd();
const NODE = "modbus-sample-1";
const NS = "modbus-sample";
const SAMPLE = fileURLToPath(
  new URL("../../samples/modbus-mapper-deployment.yaml", import.meta.url),
);
const dataDir = tempDir("modbus-sample");
const progress = (line: string): void => void process.stderr.write(`[modbus-sample] ${line}\n`);

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const sample = parse(readFileSync(SAMPLE, "utf8")) as Doc;
const container = sample.spec.template.spec.containers[0] as Doc;
const sampleEnv = (name: string): string =>
  (container.env as { name: string; value: string }[]).find(e => e.name === name)!.value;
let brokerPort = 0;
const mapperHttpPort = Number(sampleEnv("MAPPER_HTTP_PORT"));
let releasePorts: (() => void) | undefined;

let cloud: RealCloud | undefined;
let agent: AgentProcess | undefined;
let plc: PymodbusServer | undefined;

const mapperPods = (): Promise<PodJson[]> => podsWith(cluster, NS, "app=modbus-mapper");

async function startAgent(): Promise<void> {
  const file = await writeEdgedConfig(
    cluster,
    NODE,
    dataDir,
    containerd.endpoint,
    await freePort(),
    {
      eventBus: {
        enable: true,
        mqttMode: "internal",
        mqttServerInternal: `tcp://127.0.0.1:${brokerPort}`,
      },
      deviceTwin: { enable: true },
    },
  );
  agent = AgentProcess.cli(["--config", file]);
  await agent.healthPort();
}

beforeAll(async () => {
  releasePorts = await holdSampleHostPorts("e2e/mappers/modbus-sample-pod", [mapperHttpPort]);
  brokerPort = await freePort();
  const image = await buildImage(await nodeAppImage(modbusMapperOptions()), progress);
  await importImage(containerd.address, image);
  cloud = await startRealCloud(cluster, []);
  await createPodNamespace(cluster, NS);
  plc = await startPymodbus({});
  await plc.set(1, "hr", TEMPERATURE_REGISTER, [21]);
  await startAgent();
  await eventually(
    "the edge node to register",
    async () => (await cluster.kubectl(["get", "node", NODE])).code === 0,
    60_000,
  );
  const label = await cluster.kubectl(["label", "node", NODE, `${MODBUS_NODE_LABEL}=true`]);
  expect(label.code).toBe(0);
  await applyAdmitted(cluster, [thermometerModel({ namespace: NS })]);
  await applyAdmitted(cluster, [
    thermometerDevice({
      name: "sample-thermo",
      namespace: NS,
      node: NODE,
      endpoint: { host: "127.0.0.1", port: plc.port! },
      collectMs: 200,
      reportMs: 500,
    }),
  ]);
  const deployment = { ...sample, metadata: { ...sample.metadata, namespace: NS } };
  const applied = await cluster.kubectl(["apply", "-f", "-"], {
    input: JSON.stringify(deployment),
  });
  expect(applied).toMatchObject({ code: 0 });
}, 900_000);

afterAll(async () => {
  await cluster.kubectl(["delete", "namespace", NS, "--wait=false"]);
  await eventually(
    "the mapper pod to be gone",
    async () => (await mapperPods()).length === 0,
    90_000,
  ).catch(() => undefined);
  await agent?.kill("SIGKILL");
  await plc?.stop();
  await cloud?.stop();
  await cluster.kubectl(["delete", "node", NODE, "--ignore-not-found"]);
  releasePorts?.();
}, 180_000);

describe("the Modbus mapper sample Deployment on an edge node", () => {
  let first: PodJson;

  beforeEach(() => {
    onTestFailed(() => {
      const tail = agent?.output.split("\n").slice(-60).join("\n") ?? "";
      process.stderr.write(`[modbus-sample] agent (exited: ${agent?.exited}):\n${tail}\n`);
    });
  });

  it("runs the mapper pod on the labelled edge node, Running and Ready", async () => {
    let seen: PodJson[] = [];
    first = await eventually(
      "the mapper pod Running and Ready",
      async () => (seen = await mapperPods()).find(isReady),
      180_000,
      500,
      () => JSON.stringify(seen.map(p => p.status)),
    );
    expect(first.spec.nodeName).toBe(NODE);
  }, 200_000);

  it("reports the device's register into the Device's status", async () => {
    await eventually(
      "temperature 21 reported",
      async () =>
        reportedValue(await getDevice(cluster, NS, "sample-thermo"), "temperature") === "21",
      90_000,
      500,
    );
    await plc!.set(1, "hr", TEMPERATURE_REGISTER, [37]);
    await eventually(
      "temperature 37 reported",
      async () =>
        reportedValue(await getDevice(cluster, NS, "sample-thermo"), "temperature") === "37",
      60_000,
      500,
    );
  }, 200_000);

  it("keeps the same container through an agent (and broker) restart, reporting again", async () => {
    // Killing the agent takes its embedded broker with it; containerd keeps the pod running,
    // and the liveness probe (/healthz) does not depend on the broker, so nothing restarts it.
    // Same broker port again: the mapper took the broker's URL from its Secret at start, as a
    // node's mapper does (a node's broker address does not move).
    await agent!.kill("SIGKILL");
    await plc!.set(1, "hr", TEMPERATURE_REGISTER, [42]);
    await startAgent();
    await eventually(
      "temperature 42 reported after the restart",
      async () =>
        reportedValue(await getDevice(cluster, NS, "sample-thermo"), "temperature") === "42",
      120_000,
      500,
    );
    const after = await eventually(
      "the mapper pod Ready",
      async () => (await mapperPods()).find(isReady),
      60_000,
      500,
    );
    expect(after.metadata.uid).toBe(first.metadata.uid);
    const status = after.status.containerStatuses![0]!;
    expect(status.restartCount).toBe(0);
    expect(status.containerID).toBe(first.status.containerStatuses![0]!.containerID);
  }, 250_000);
});
