/**
 * Edged with a real containerd: pod start latency (created → Running, both seen through a watch
 * on the apiserver) for N pods of a local image created at once on one edge node, with the
 * agent's own per-phase account (its /metrics histogram); then the agent's RSS (with PSS,
 * anonymous vs file-backed, V8 heap) and CPU with 0 / 10 / 20 / 50 running pods (the seeds'
 * chapter 17 method: settle, then read /proc).
 * The agent runs as shipped (`edge-agent/bin/kubeedge-edge.mjs`: lite mode, bundle).
 *
 * Run: `npm run build && node --conditions=source --import tsx bench/edged-pods.ts [pods] [steps] [settleSeconds]`
 * (defaults 20, "0,10,20,50", 15). KUBEEDGE_TS_CLUSTER_DIR=<dir of `cluster up`> reuses a
 * running control plane; otherwise one is started and stopped. Its own containerd always.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { stringify } from "yaml";
import { startContainerd } from "../local/containerd/index.js";
import {
  ensureBinaries,
  layout,
  mintNodeIdentity,
  readState,
  startControlPlane,
  stopControlPlane,
} from "../local/control-plane/index.js";
import { BUSYBOX_IMAGE, baseImages, buildImage, importImages } from "../local/images/index.js";
import { runKubectl } from "../local/kube/kubectl.js";
import { freePort } from "@kubeedge-ts/testkit";
import { cpuSeconds, rssMiB } from "./proc.js";

const ROOT = resolve(import.meta.dirname, "..");
const NODE = "bench-edged";
const NS = "bench-edged";
const podCount = Number(process.argv[2] ?? 20);
const steps = (process.argv[3] ?? "0,10,20,50").split(",").map(Number);
const settleSeconds = Number(process.argv[4] ?? 15);
const sleep = (ms: number): Promise<void> => new Promise(r => setTimeout(r, ms));
const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function until<T>(
  what: string,
  f: () => Promise<T | undefined | false>,
  ms = 180_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f().catch(() => undefined);
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

let dir = process.env.KUBEEDGE_TS_CLUSTER_DIR;
let ownCluster = false;
if (!dir || !readState(dir)) {
  const binDir = await ensureBinaries(log);
  dir = mkdtempSync(join(tmpdir(), "kubeedge-ts-bench-edged-"));
  await startControlPlane({ dir, binDir, ownerPid: process.pid });
  ownCluster = true;
}
const state = readState(dir)!;
const admin = layout(dir).adminKubeconfig;
const kubectl = async (args: string[], input?: string): Promise<string> => {
  const r = await runKubectl(state.binDir, admin, args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
};

const ctrDir = mkdtempSync(join(tmpdir(), "kubeedge-ts-bench-containerd-"));
const built = [];
for (const spec of baseImages()) built.push(await buildImage(spec, log));
// containerd's own Prometheus timers split RunPodSandbox into its CNI part and the rest.
const containerdMetrics = `127.0.0.1:${await freePort()}`;
const containerd = await startContainerd({
  dir: ctrDir,
  ownerPid: process.pid,
  progress: log,
  metricsAddress: containerdMetrics,
});
await importImages(containerd.address, built);

const agentDir = mkdtempSync(join(tmpdir(), "kubeedge-ts-bench-edged-agent-"));
const configFile = join(agentDir, "agent.yaml");
const metricsPort = await freePort();
writeFileSync(
  configFile,
  stringify({
    nodeName: NODE,
    dataDir: agentDir,
    logLevel: "warn",
    server: { port: metricsPort },
    modules: {
      edgeHub: { kubeconfig: await mintNodeIdentity(dir, NODE) },
      eventBus: { mqttServerInternal: `tcp://127.0.0.1:${await freePort()}` },
      edged: { remoteRuntimeEndpoint: containerd.endpoint, port: 0 },
    },
  }),
);
// The committed bin, as users run it: lite mode from its interpreter line, the bundle.
const agent = spawn(join(ROOT, "edge-agent/bin/kubeedge-edge.mjs"), ["--config", configFile], {
  stdio: ["ignore", "ignore", "inherit"],
});
await until(
  "the node",
  async () => (await kubectl(["get", "node", NODE, "-o", "name"])).trim() !== "",
);
await kubectl(["create", "namespace", NS]);
// The ServiceAccount admission plugin refuses pods until the namespace's default one exists.
await until("the default ServiceAccount", async () =>
  (await kubectl(["get", "serviceaccount", "default", "-n", NS, "-o", "name"])).trim(),
);

const WATCH_TEMPLATE = 'jsonpath={.metadata.name} {.status.phase}{"\\n"}';

const podManifest = (name: string): object => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: NS, labels: { bench: "edged" } },
  spec: {
    nodeName: NODE,
    terminationGracePeriodSeconds: 0,
    containers: [
      { name: "main", image: BUSYBOX_IMAGE, imagePullPolicy: "Never", command: ["sleep", "86400"] },
    ],
  },
});
const createPods = (names: string[]): Promise<string> =>
  kubectl(
    ["create", "-f", "-"],
    JSON.stringify({ apiVersion: "v1", kind: "List", items: names.map(podManifest) }),
  );
const runningPods = async (): Promise<Set<string>> => {
  const out = await kubectl([
    "get",
    "pods",
    "-n",
    NS,
    "-o",
    "jsonpath={range .items[?(@.status.phase=='Running')]}{.metadata.name} {end}",
  ]);
  return new Set(out.split(" ").filter(Boolean));
};

// --- pod start latency ------------------------------------------------------------------------
const names = Array.from({ length: podCount }, (_, i) => `start-${i}`);
// A watch, not polling: each pod is timed when the apiserver tells of it (ADDED: created) and
// of its Running phase, so both ends reach the bench the same way.
const running = new Map<string, number>();
const added = new Map<string, number>();
const watch = spawn(
  join(state.binDir, "kubectl"),
  ["--kubeconfig", admin, "get", "pods", "-n", NS, "--watch", "-o", WATCH_TEMPLATE],
  { stdio: ["ignore", "pipe", "inherit"] },
);
let buffered = "";
watch.stdout.on("data", (chunk: Buffer) => {
  const lines = (buffered + chunk.toString()).split("\n");
  buffered = lines.pop()!;
  for (const line of lines) {
    const [name, phase] = line.split(" ");
    if (!name) continue;
    if (!added.has(name)) added.set(name, Date.now());
    if (phase === "Running" && !running.has(name)) running.set(name, Date.now());
  }
});
await sleep(1_000); // the watch's kubectl is up (a pod seen only by its list is still timed)
const t0 = Date.now();
await createPods(names);
const createdMs = Date.now() - t0;
await until(`${podCount} pods Running`, async () => running.size >= podCount);
watch.kill();
const percentiles = (values: number[]): string => {
  const sorted = [...values].sort((a, b) => a - b);
  const pct = (p: number): string =>
    (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! / 1000).toFixed(
      2,
    );
  return `p50 ${pct(50)} s, p99 ${pct(99)} s, max ${pct(100)} s`;
};
console.log(
  `pod start, ${podCount} pods at once, created → Running (both seen by a watch): ${percentiles([...running].map(([n, t]) => t - added.get(n)!))}`,
);
console.log(
  `pod start, from the kubectl create call → Running: ${percentiles([...running.values()].map(t => t - t0))}`,
);
console.log(`(kubectl create of the ${podCount} pods took ${(createdMs / 1000).toFixed(2)} s)`);
console.log(await phaseTable());
console.log(await containerdTimings());
await kubectl(["delete", "pods", "-n", NS, "--all", "--wait=true", "--timeout=180s"]);

/** The agent's own account of where the start time went (its phase histogram), as a table. */
async function phaseTable(): Promise<string> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const series = (metric: string, label: string): Map<string, { sum: number; count: number }> => {
    const out = new Map<string, { sum: number; count: number }>();
    const re = new RegExp(`^${metric}_(sum|count)\\{${label}="([^"]+)"\\} (\\S+)$`, "gm");
    for (const [, field, key, value] of text.matchAll(re)) {
      const s = out.get(key!) ?? { sum: 0, count: 0 };
      s[field as "sum" | "count"] = Number(value);
      out.set(key!, s);
    }
    return out;
  };
  const rows = [
    "| phase (agent's histogram) | observations | mean (s) | total (s) |",
    "| --- | --- | --- | --- |",
  ];
  const add = (name: string, s: { sum: number; count: number }): void =>
    void rows.push(
      `| ${name} | ${s.count} | ${(s.sum / s.count).toFixed(3)} | ${s.sum.toFixed(2)} |`,
    );
  for (const [phase, s] of series("kubeedge_edge_pod_start_phase_seconds", "phase")) add(phase, s);
  for (const [kind, s] of series("kubeedge_edge_report_delivery_seconds", "kind"))
    add(`outbox delivery: ${kind}`, s);
  return rows.join("\n");
}

/**
 * containerd's own account of the same starts: every `containerd_cri_*_seconds` timer it
 * observed (sandbox network = the CNI plugins; sandbox/container create and start by runtime).
 */
async function containerdTimings(): Promise<string> {
  const text = await (await fetch(`http://${containerdMetrics}/v1/metrics`)).text();
  const series = new Map<string, { sum: number; count: number }>();
  const re = /^(containerd_cri_\w+_seconds)_(sum|count)(\{[^}]*\})? (\S+)$/gm;
  for (const [, metric, field, labels, value] of text.matchAll(re)) {
    const key = `${metric}${labels ?? ""}`;
    const s = series.get(key) ?? { sum: 0, count: 0 };
    s[field as "sum" | "count"] = Number(value);
    series.set(key, s);
  }
  const rows = ["| containerd timer | observations | mean (s) |", "| --- | --- | --- |"];
  for (const [key, s] of series) {
    if (s.count > 0) rows.push(`| ${key} | ${s.count} | ${(s.sum / s.count).toFixed(3)} |`);
  }
  return rows.join("\n");
}

// --- footprint by running pods ----------------------------------------------------------------
console.log(
  "| running pods | RSS (MiB) | PSS (MiB) | anonymous / file-backed (MiB) | V8 heap used / reserved (MiB) | CPU over 10 s window |",
);
console.log("| --- | --- | --- | --- | --- | --- |");
let created = 0;
for (const step of steps) {
  if (step > created) {
    await createPods(Array.from({ length: step - created }, (_, i) => `load-${created + i}`));
    created = step;
  }
  await until(`${step} pods Running`, async () => (await runningPods()).size >= step, 300_000);
  await sleep(settleSeconds * 1000);
  const cpu0 = cpuSeconds(agent.pid!);
  await sleep(10_000);
  const cpu = ((cpuSeconds(agent.pid!) - cpu0) / 10) * 100;
  const smaps = readFileSync(`/proc/${agent.pid}/smaps_rollup`, "utf8");
  const kib = (field: string): number =>
    Number(new RegExp(`^${field}:\\s+(\\d+)`, "m").exec(smaps)?.[1] ?? 0) / 1024;
  const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const gauge = (name: string): number =>
    Number(new RegExp(`^${name} (\\S+)$`, "m").exec(metrics)?.[1] ?? 0) / 2 ** 20;
  const heap = `${gauge("nodejs_heap_size_used_bytes").toFixed(1)} / ${gauge("nodejs_heap_size_total_bytes").toFixed(1)}`;
  const anon = `${kib("Anonymous").toFixed(1)} / ${(kib("Rss") - kib("Anonymous")).toFixed(1)}`;
  console.log(
    `| ${step} | ${rssMiB(agent.pid!).toFixed(1)} | ${kib("Pss").toFixed(1)} | ${anon} | ${heap} | ${cpu.toFixed(1)} % |`,
  );
}

await kubectl(["delete", "namespace", NS, "--wait=true", "--timeout=300s"]).catch(() => undefined);
agent.kill("SIGTERM");
await new Promise(r => agent.once("exit", r));
await containerd.stop();
if (ownCluster) await stopControlPlane(dir);
rmSync(agentDir, { recursive: true, force: true });
rmSync(ctrDir, { recursive: true, force: true });
process.exit(0);
