/**
 * Stands up everything the demo shows, in the order a user would: the control plane and cloud
 * module, a containerd with the images, the simulated plant, the edge agent for the node, and
 * then `kubectl apply` of the samples. Each step registers its own teardown.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { eventually, freePort } from "@kubeedge-ts/testkit";
import {
  binariesPresent,
  ensureBinaries,
  readState,
  startControlPlane,
  stopControlPlane,
} from "../../local/control-plane/index.js";
import { installCrds, readCrds } from "../../local/cloud-runner/crds.js";
import { RBAC_DIR } from "../../local/cloud-runner/manifests.js";
import { REPO_ROOT, startModule } from "../../local/cloud-runner/module-runner.js";
import { startContainerd } from "../../local/containerd/index.js";
import {
  baseImages,
  buildImage,
  importImages,
  modbusMapperOptions,
  nodeAppImage,
} from "../../local/images/index.js";
import { loadKube } from "../../local/kube/kube.js";
import { kubeRequest } from "../../local/kube/kube-request.js";
import { runKubectl } from "../../local/kube/kubectl.js";
import { startWaterPlant, type WaterPlant, waterAppImage } from "../../local/plant/index.js";
import { agentConfigYaml } from "./agent-config.js";
import { type ChildWatch, startBinChild } from "./children.js";
import { joinDemoNode } from "./join-node.js";
import { demoManifests } from "./manifests.js";

export const DEMO_NAMESPACE = "default";
/** The agent's default broker port, where the samples look for it. */
const DEFAULT_BROKER_PORT = 1884;

export interface StackOptions {
  dir: string;
  node: string;
  keep: boolean;
  say: (line: string) => void;
  onExit: (fn: () => Promise<void> | void) => void;
  watch: ChildWatch;
}

export interface Stack {
  clusterDir: string;
  admin: string;
  kubectl: string;
  plant: WaterPlant;
  metricsUrl: string;
  logs: string;
  agentLog: string;
  /** The edge agent's config file (its data dir, broker address and applications). */
  agentConfig: string;
}

/** While Kubernetes is built (first run only), a line every 30 s with the time so far. */
async function binariesWithEstimate(say: (line: string) => void): Promise<string> {
  if (process.env.KUBEEDGE_TS_BIN_DIR || binariesPresent()) return ensureBinaries(say);
  const t0 = Date.now();
  const timer = setInterval(() => {
    const min = ((Date.now() - t0) / 60_000).toFixed(1);
    say(`building Kubernetes: ${min} min so far of about 10-25 min (first run only)`);
  }, 30_000);
  try {
    return await ensureBinaries(say);
  } finally {
    clearInterval(timer);
  }
}

async function cloud(o: StackOptions, clusterDir: string): Promise<string> {
  const binDir = await binariesWithEstimate(o.say);
  if (!readState(clusterDir)) {
    const state = await startControlPlane({ dir: clusterDir, binDir, progress: o.say });
    o.say(`control plane ready in ${(state.readyMs / 1000).toFixed(1)}s`);
    if (!o.keep) o.onExit(async () => void (await stopControlPlane(clusterDir)));
  }
  const admin = join(clusterDir, "admin.kubeconfig");
  const kube = loadKube(admin);
  await installCrds(kube, readCrds());
  kube.close();
  const rbac = await runKubectl(binDir, admin, ["apply", "-f", RBAC_DIR]);
  if (rbac.code !== 0) throw new Error(`kubectl apply -f ${RBAC_DIR} failed: ${rbac.stderr}`);
  const module = await startModule({ kubeconfig: admin, root: REPO_ROOT });
  // Supervised: a module process that ends is started again, as its Deployment would be, so
  // the demo does not watch it like the agent and the mappers.
  o.onExit(() => module.stop());
  o.say(`cloud module running, webhooks at ${module.url} (log: ${module.logFile})`);
  return binDir;
}

async function runtime(o: StackOptions): Promise<string> {
  const containerd = await startContainerd({
    dir: join(o.dir, "containerd"),
    ownerPid: o.keep ? undefined : process.pid,
    progress: o.say,
  });
  if (!o.keep) o.onExit(() => containerd.stop());
  const specs = [...baseImages(), await nodeAppImage(modbusMapperOptions()), await waterAppImage()];
  const built = [];
  for (const spec of specs) built.push(await buildImage(spec, o.say));
  await importImages(containerd.address, built);
  o.say(`images imported into containerd: ${built.map(b => b.ref).join(", ")}`);
  return containerd.endpoint;
}

async function brokerPort(): Promise<number> {
  // The samples reach the broker at the agent's default port; another one only if it is taken.
  const { createServer } = await import("node:net");
  const free = await new Promise<boolean>(resolve => {
    const s = createServer().once("error", () => resolve(false));
    s.listen(DEFAULT_BROKER_PORT, "127.0.0.1", () => s.close(() => resolve(true)));
  });
  return free ? DEFAULT_BROKER_PORT : freePort();
}

async function edgeAgent(o: StackOptions, clusterDir: string, endpoint: string, logs: string) {
  const dataDir = join(o.dir, o.node);
  mkdirSync(dataDir, { recursive: true });
  const healthzPort = await freePort();
  const mqttUrl = `tcp://127.0.0.1:${await brokerPort()}`;
  // Joined the way a device joins (a bootstrap token, `kubeedge-edge join`); the cloud module
  // gives a node joined with an edge token the edge role, no admin step.
  const admin = join(clusterDir, "admin.kubeconfig");
  const joinLog = join(logs, "join.log");
  const { kubeconfig, command } = await joinDemoNode(admin, o.node, join(dataDir, "join"), joinLog);
  o.say(`node ${o.node} joined: ${command}`);
  const configFile = join(dataDir, "agent.yaml");
  writeFileSync(
    configFile,
    agentConfigYaml({
      node: o.node,
      dataDir,
      kubeconfig,
      runtimeEndpoint: endpoint,
      healthzPort,
      kubeletPort: await freePort(),
      mqttUrl,
      namespace: DEMO_NAMESPACE,
    }),
  );
  const agentLog = join(logs, "edge-agent.log");
  const agent = startBinChild(
    "the edge agent",
    "kubeedge-edge",
    ["--config", configFile],
    agentLog,
  );
  o.onExit(() => agent.stop());
  o.watch.watch(agent);
  return { healthzPort, mqttUrl, agentLog, configFile };
}

export async function startStack(o: StackOptions): Promise<Stack> {
  const clusterDir = join(o.dir, "cluster");
  const logs = join(o.dir, "logs");
  mkdirSync(logs, { recursive: true });
  const binDir = await cloud(o, clusterDir);
  const admin = join(clusterDir, "admin.kubeconfig");
  const endpoint = await runtime(o);
  const plant = await startWaterPlant();
  o.onExit(() => plant.stop());
  o.say(`simulated water plant (Modbus TCP) on ${plant.host}:${plant.port}`);

  const agent = await edgeAgent(o, clusterDir, endpoint, logs);
  await eventually(
    `node ${o.node} to register`,
    async () => (await kubeRequest(admin, "GET", `/api/v1/nodes/${o.node}`)).status === 200,
    60_000,
    500,
  );
  o.say(`edge agent registered node ${o.node}, broker ${agent.mqttUrl} (log: ${agent.agentLog})`);
  // Pods are refused until the controller-manager has made the namespace's ServiceAccount.
  await eventually(
    "the default ServiceAccount",
    async () =>
      (
        await kubeRequest(
          admin,
          "GET",
          `/api/v1/namespaces/${DEMO_NAMESPACE}/serviceaccounts/default`,
        )
      ).status === 200,
    60_000,
    500,
  );
  const manifests = demoManifests({
    node: o.node,
    gateway: { host: plant.host, port: plant.port },
    mqttUrl: agent.mqttUrl.replace(/^tcp:/, "mqtt:"),
    mapperHttpPort: await freePort(),
  });
  const input = JSON.stringify({ apiVersion: "v1", kind: "List", items: manifests });
  const applied = await runKubectl(binDir, admin, ["apply", "-f", "-"], input);
  if (applied.code !== 0) throw new Error(`kubectl apply of the samples failed: ${applied.stderr}`);
  for (const line of applied.stdout.trim().split("\n")) o.say(`kubectl apply: ${line}`);
  return {
    clusterDir,
    admin,
    kubectl: join(binDir, "kubectl"),
    plant,
    metricsUrl: `http://127.0.0.1:${agent.healthzPort}/metrics`,
    logs,
    agentLog: agent.agentLog,
    agentConfig: agent.configFile,
  };
}
