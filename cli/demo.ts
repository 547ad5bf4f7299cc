/**
 * `kubeedge-ts demo`: the whole loop on one machine with no cloud account. A local control plane,
 * the cloud module, an edge agent for node `edge-1`, a simulated Modbus thermometer (pymodbus),
 * and the Modbus mapper; reported temperatures appear in `kubectl get device -o yaml` and a
 * desired `temperature-limit` flows down to the device's register.
 */
import type { Command } from "commander";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { tmpdir } from "node:os";
import { MODBUS_NODE_LABEL } from "@kubeedge-ts/contract";
import { startModbusThermometer } from "./demo/thermometer.js";
import {
  demoDevice,
  demoModel,
  DEMO_DEVICE,
  DEMO_NAMESPACE,
  LIMIT_REGISTER,
} from "./demo/devices.js";
import { projectProfile } from "./demo/profile-file.js";
import { ChildWatch, startBinChild } from "./demo/children.js";
import { mapperLogin, mapperLoginEnv } from "./demo/mqtt-login.js";
import {
  ensureBinaries,
  mintNodeIdentity,
  readState,
  startControlPlane,
  stopControlPlane,
} from "../local/control-plane/index.js";
import { installCrds, readCrds } from "../local/cloud-runner/crds.js";
import { loadKube } from "../local/kube/kube.js";
import { RBAC_DIR, readManifests } from "../local/cloud-runner/manifests.js";
import { allowEdgeNode } from "../local/cloud-runner/edge-node-grants.js";
import { REPO_ROOT, startModule } from "../local/cloud-runner/module-runner.js";
import { eventually, freePort } from "@kubeedge-ts/testkit";
import { kubeRequest } from "../local/kube/kube-request.js";
import { runKubectl } from "../local/kube/kubectl.js";

const say = (line: string): void => console.log(`[demo] ${line}`);

interface DemoOptions {
  dir: string;
  node: string;
  keep: boolean;
  exitAfterReport: boolean;
}

interface Device {
  status?: { state?: string; twins?: { propertyName: string; reported?: { value?: string } }[] };
}

export async function runDemo(opts: DemoOptions): Promise<void> {
  const cleanups: (() => Promise<void> | void)[] = [];
  let closing = false;
  const watch = new ChildWatch();
  const cleanup = async (): Promise<void> => {
    closing = true;
    watch.disarm();
    for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch(() => undefined);
  };
  // After a failure the steps still in flight may start more: stop those at once.
  const onExit = (fn: () => Promise<void> | void): void => {
    if (closing) void Promise.resolve(fn()).catch(() => undefined);
    else cleanups.push(fn);
  };
  process.once("SIGINT", () => void cleanup().then(() => process.exit(0)));
  process.once("SIGTERM", () => void cleanup().then(() => process.exit(0)));
  try {
    await Promise.race([demo(opts, onExit, watch), watch.failed]);
  } catch (err) {
    say("failed; stopping everything the demo started");
    await cleanup();
    throw err;
  }
  if (opts.exitAfterReport) await cleanup();
}

async function demo(
  opts: DemoOptions,
  onExit: (fn: () => Promise<void> | void) => void,
  watch: ChildWatch,
): Promise<void> {
  const clusterDir = join(opts.dir, "cluster");
  const logs = join(opts.dir, "logs");
  mkdirSync(logs, { recursive: true });

  const binDir = await ensureBinaries(say);
  if (!readState(clusterDir)) {
    const state = await startControlPlane({ dir: clusterDir, binDir, progress: say });
    say(`control plane ready in ${(state.readyMs / 1000).toFixed(1)}s`);
    if (!opts.keep) onExit(async () => void (await stopControlPlane(clusterDir)));
  }
  const admin = join(clusterDir, "admin.kubeconfig");

  const kube = loadKube(admin);
  await installCrds(kube, readCrds());
  for (const obj of readManifests(RBAC_DIR)) await kube.apply(obj);
  const module = await startModule({ kubeconfig: admin, root: REPO_ROOT });
  onExit(() => module.stop());
  watch.watch({ name: "the cloud module", exited: module.exited, logFile: module.logFile });
  say(`cloud module running, webhooks at ${module.url} (log: ${module.logFile})`);

  const nodeKubeconfig = mintNodeIdentity(clusterDir, opts.node);
  // The admin vouches for the demo node: only allow-listed nodes get the edge role.
  await allowEdgeNode(admin, opts.node, "kubeedge-ts demo");
  const mqttPort = await freePort();
  const mqttLogin = mapperLogin(join(opts.dir, opts.node));
  const agent = startBinChild(
    "the edge agent",
    "kubeedge-edge",
    [
      "--kubeconfig",
      nodeKubeconfig,
      "--node-name",
      opts.node,
      "--data-dir",
      join(opts.dir, opts.node),
      "--mqtt-internal-server",
      `tcp://127.0.0.1:${mqttPort}`,
      "--healthz-port",
      "0",
    ],
    join(logs, "edge-agent.log"),
  );
  onExit(() => agent.stop());
  watch.watch(agent);
  await eventually(
    "the edge node to register",
    async () => (await kubeRequest(admin, "GET", `/api/v1/nodes/${opts.node}`)).status === 200,
    60_000,
    500,
  );
  say(
    `edge agent registered node ${opts.node}; MQTT broker tcp://127.0.0.1:${mqttPort} (log: ${agent.logFile})`,
  );
  // The mapper Deployment in samples/ selects nodes by this label, as KubeEdge users do.
  await kubeRequest(
    admin,
    "PATCH",
    `/api/v1/nodes/${opts.node}`,
    { metadata: { labels: { [MODBUS_NODE_LABEL]: "true" } } },
    "application/merge-patch+json",
  );

  const thermometer = await startModbusThermometer();
  onExit(() => thermometer.stop());
  say(`simulated Modbus thermometer on 127.0.0.1:${thermometer.port}`);

  kube.close();
  // Applied with kubectl, as a user would (client-side apply keeps status.twins[].desired).
  const manifests = [demoModel(), demoDevice(opts.node, thermometer.port)];
  const applied = await runKubectl(
    binDir,
    admin,
    ["apply", "-f", "-"],
    JSON.stringify({ apiVersion: "v1", kind: "List", items: manifests }),
  );
  if (applied.code !== 0)
    throw new Error(`kubectl apply of the demo device failed: ${applied.stderr}`);
  say(`applied DeviceModel and Device ${DEMO_NAMESPACE}/${DEMO_DEVICE}`);

  const profileFile = join(opts.dir, opts.node, "deviceProfile.json");
  const projection = projectProfile(nodeKubeconfig, opts.node, DEMO_NAMESPACE, profileFile);
  onExit(() => projection.stop());
  const mapper = startBinChild(
    "the Modbus mapper",
    "kubeedge-mapper-modbus",
    ["--profile", profileFile, "--mqtt", `tcp://127.0.0.1:${mqttPort}`],
    join(logs, "modbus-mapper.log"),
    // No fixed port (the image's 9101 may be taken): the demo does not call /healthz.
    { MAPPER_HTTP_HOST: "127.0.0.1", MAPPER_HTTP_PORT: "0", ...mapperLoginEnv(mqttLogin) },
  );
  onExit(() => mapper.stop());
  watch.watch(mapper);
  say(`modbus mapper started (log: ${mapper.logFile})`);

  await showLoop(admin, thermometer, opts);
}

async function showLoop(
  admin: string,
  thermometer: Awaited<ReturnType<typeof startModbusThermometer>>,
  opts: DemoOptions,
): Promise<void> {
  const devicePath = `/apis/devices.kubeedge.io/v1alpha2/namespaces/${DEMO_NAMESPACE}/devices/${DEMO_DEVICE}`;
  const reported = await eventually(
    "a reported temperature in the Device status",
    async () => {
      const r = await kubeRequest<Device>(admin, "GET", devicePath);
      return r.body.status?.twins?.find(t => t.propertyName === "temperature")?.reported?.value;
    },
    120_000,
    500,
  );
  say(`Device ${DEMO_NAMESPACE}/${DEMO_DEVICE} reports temperature=${reported}`);
  const limit = await eventually(
    "the desired limit to reach the device register",
    async () => {
      const [v] = await thermometer.read(LIMIT_REGISTER);
      return v === 30 ? v : undefined;
    },
    60_000,
    500,
  );
  say(`desired temperature-limit=${limit} reached the device's holding register ${LIMIT_REGISTER}`);
  const kubectl = join(readState(join(opts.dir, "cluster"))!.binDir, "kubectl");
  say("try it:");
  console.log(`  export KUBECONFIG=${admin}`);
  console.log(`  ${kubectl} get device ${DEMO_DEVICE} -o yaml`);
  console.log(
    `  ${kubectl} patch device ${DEMO_DEVICE} --type=json -p '[{"op":"replace","path":"/status/twins/0/desired/value","value":"42"}]'`,
  );
  if (opts.exitAfterReport) return;
  say("running until interrupted (Ctrl+C)");
  await new Promise(() => undefined);
}

export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description("local cluster + cloud module + edge agent + simulated Modbus device + mapper")
    .option("--dir <dir>", "state folder", join(tmpdir(), "kubeedge-ts", "demo"))
    .option("--node <name>", "edge node name", "edge-1")
    .option("--keep", "leave the control plane running on exit", false)
    .option(
      "--exit-after-report",
      "stop everything once values flow both ways (CI smoke test)",
      false,
    )
    .action((o: DemoOptions) => runDemo({ ...o, dir: resolve(o.dir) }));
}
