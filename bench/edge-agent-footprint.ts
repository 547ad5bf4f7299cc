/**
 * Edge agent footprint, the method of the seeds' chapter 17: step the number of pods (and
 * devices) cached on the node and read %CPU, %MEM and RSS of the agent process with `ps`
 * after each step, plus CPU over a quiet window from /proc. The agent runs as shipped
 * (its bin `kubeedge-edge`: lite mode from the interpreter line, the bundle) with every module on (EventBus with
 * its embedded broker, DeviceTwin), against a real local control plane.
 *
 * Run: `npm run build -w edge-agent && node --conditions=source --import tsx bench/edge-agent-footprint.ts [steps] [settleSeconds]`
 * (steps default "0,25,50,100"). KUBEEDGE_TS_CLUSTER_DIR=<dir of `cluster up`> reuses a running
 * control plane; otherwise one is started and stopped.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  NODE_DEVICE_NAMESPACES_ANNOTATION,
  PROFILE_CONFIGMAP_KEY,
  profileConfigMapName,
  profileReaderRoleName,
  nodeUserName,
} from "@kubeedge-ts/contract";
import { manyDevicesProfile } from "../edge-agent/src/devicetwin/testdata/fixtures.js";
import {
  ensureBinaries,
  layout,
  mintNodeIdentity,
  readState,
  startControlPlane,
  stopControlPlane,
} from "../local/control-plane/index.js";
import { binPath, eventually, freePort } from "@kubeedge-ts/testkit";
import { runKubectl } from "../local/kube/kubectl.js";
import { cpuSeconds } from "./proc.js";

const NODE = "bench-edge";
const NS = "bench-devices";
const steps = (process.argv[2] ?? "0,25,50,100").split(",").map(Number);
const settleSeconds = Number(process.argv[3] ?? 20);

const sleep = (ms: number): Promise<void> => new Promise(r => setTimeout(r, ms));

// --- cluster ---------------------------------------------------------------------------------
let dir = process.env.KUBEEDGE_TS_CLUSTER_DIR;
let owned = false;
if (!dir || !readState(dir)) {
  const binDir = await ensureBinaries(l => console.error(l));
  dir = mkdtempSync(join(tmpdir(), "kubeedge-ts-bench-agent-"));
  await startControlPlane({ dir, binDir, ownerPid: process.pid });
  owned = true;
}
const state = readState(dir)!;
const admin = layout(dir).adminKubeconfig;
const kubectl = async (args: string[], input?: string): Promise<string> => {
  const r = await runKubectl(state.binDir, admin, args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
};
const apply = (items: object[]): Promise<string> =>
  kubectl(["apply", "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "List", items }));

// What the cloud would set up for the node: its device namespace and the profile reader grant.
await apply([{ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } }]);
await apply([
  {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: { name: profileReaderRoleName(NODE), namespace: NS },
    rules: [
      {
        apiGroups: [""],
        resources: ["configmaps"],
        resourceNames: [profileConfigMapName(NODE)],
        verbs: ["get", "list", "watch"],
      },
    ],
  },
  {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name: profileReaderRoleName(NODE), namespace: NS },
    roleRef: {
      apiGroup: "rbac.authorization.k8s.io",
      kind: "Role",
      name: profileReaderRoleName(NODE),
    },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: nodeUserName(NODE) }],
  },
]);

// --- agent -----------------------------------------------------------------------------------
const dataDir = mkdtempSync(join(tmpdir(), "kubeedge-ts-bench-agent-data-"));
const agent = spawn(
  binPath("kubeedge-edge"),
  [
    "--kubeconfig",
    mintNodeIdentity(dir, NODE),
    "--node-name",
    NODE,
    "--data-dir",
    dataDir,
    "--healthz-port",
    "0",
    "--mqtt-internal-server",
    `tcp://127.0.0.1:${await freePort()}`,
  ],
  { stdio: ["ignore", "pipe", "pipe"] },
);
let log = "";
agent.stdout.on("data", c => (log += c));
agent.stderr.on("data", c => (log += c));
const pid = agent.pid!;
const port = await eventually(
  "the agent's health port",
  async () =>
    Number(/"port":(\d+),"msg":"healthz and metrics listening"/.exec(log)?.[1]) || undefined,
  120_000,
  250,
);
const get = async <T>(path: string): Promise<T> =>
  (await fetch(`http://127.0.0.1:${port}${path}`)).json() as Promise<T>;
await eventually(
  "EdgeHub connected",
  async () => (await get<{ cloudConnected: boolean }>("/healthz")).cloudConnected,
  120_000,
  250,
);
await kubectl([
  "annotate",
  "node",
  NODE,
  "--overwrite",
  `${NODE_DEVICE_NAMESPACES_ANNOTATION}=${NS}`,
]);

const pod = (i: number): object => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: `bench-pod-${i}`, namespace: "default", labels: { app: "bench-edge" } },
  spec: {
    nodeName: NODE,
    containers: [
      {
        name: "c",
        image: "registry.k8s.io/pause:3.10",
        resources: { requests: { cpu: "1m", memory: "1Mi" } },
      },
    ],
  },
});

interface Row {
  step: number;
  pods: number;
  devices: number;
  rssMiB: number;
  psCpu: string;
  psMem: string;
  windowCpu: number;
}
const rows: Row[] = [];
try {
  for (const n of steps) {
    const have = Number(
      JSON.parse(await kubectl(["get", "pods", "-l", "app=bench-edge", "-o", "json"])).items.length,
    );
    if (n > have) await apply(Array.from({ length: n - have }, (_, k) => pod(have + k)));
    const profile = manyDevicesProfile(n, NS);
    await apply([
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: profileConfigMapName(NODE), namespace: NS },
        data: { [PROFILE_CONFIGMAP_KEY]: JSON.stringify(profile) },
      },
    ]);
    await eventually(
      `${n} pods and devices cached`,
      async () => {
        const pods = await get<unknown[]>("/api/meta/Pod/default");
        const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        const devices = Number(/^kubeedge_edge_twin_devices (\d+)/m.exec(metrics)?.[1] ?? -1);
        return pods.length === n && devices === n;
      },
      120_000,
      250,
    );
    await sleep(settleSeconds * 1000);
    const t0 = cpuSeconds(pid);
    const w0 = Date.now();
    await sleep(10_000);
    const windowCpu = ((cpuSeconds(pid) - t0) / ((Date.now() - w0) / 1000)) * 100;
    const [rss, pcpu, pmem] = execFileSync("ps", ["-o", "rss=,%cpu=,%mem=", "-p", String(pid)], {
      encoding: "utf8",
    })
      .trim()
      .split(/\s+/);
    rows.push({
      step: n,
      pods: n,
      devices: n,
      rssMiB: Number(rss) / 1024,
      psCpu: pcpu!,
      psMem: pmem!,
      windowCpu,
    });
    console.log(
      `step ${n}: RSS ${(Number(rss) / 1024).toFixed(1)} MiB, ps %CPU ${pcpu} (lifetime), %MEM ${pmem}, CPU over 10 s ${windowCpu.toFixed(2)} %`,
    );
  }
} finally {
  agent.kill("SIGTERM");
  await new Promise(r => agent.once("exit", r));
  await runKubectl(state.binDir, admin, [
    "delete",
    "pods",
    "-l",
    "app=bench-edge",
    "--force",
    "--grace-period=0",
    "--ignore-not-found",
  ]);
  await runKubectl(state.binDir, admin, [
    "delete",
    "namespace",
    NS,
    "--wait=false",
    "--ignore-not-found",
  ]);
  await runKubectl(state.binDir, admin, ["delete", "node", NODE, "--ignore-not-found"]);
  rmSync(dataDir, { recursive: true, force: true });
  if (owned) await stopControlPlane(dir);
}
console.log(
  "\n| cached pods | cached devices | RSS (MiB) | ps %CPU (lifetime) | %MEM | CPU over 10 s idle window |",
);
console.log("| --- | --- | --- | --- | --- | --- |");
for (const r of rows) {
  console.log(
    `| ${r.pods} | ${r.devices} | ${r.rssMiB.toFixed(1)} | ${r.psCpu} | ${r.psMem} | ${r.windowCpu.toFixed(2)} % |`,
  );
}
