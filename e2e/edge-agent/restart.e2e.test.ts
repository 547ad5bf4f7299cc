import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { eventually, testCluster } from "../harness.js";
import { AgentProcess, getJson, metric, tempDir, testConfigYaml } from "./agent.js";

const cluster = testCluster();
const NODE = "ea-restart-1";
const REASON = "E2EBurst";
// Reports land in their own namespace, so cleaning up thousands of events is one delete.
const NS = "ea-restart-events";
const PODS = ["ea-r-1", "ea-r-2", "ea-r-3"];
const FIXTURE = join(import.meta.dirname, "fixtures/burst-agent.ts");
const dataDir = tempDir("restart");
const configFile = join(dataDir, "agent.yaml");
const procs: AgentProcess[] = [];

interface Stored {
  name: string;
  uid: string;
}

async function kubectlJson<T>(args: string[]): Promise<T> {
  const r = await cluster.kubectl([...args, "-o", "json"]);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

function podManifest(name: string): object {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default" },
    spec: { nodeName: NODE, containers: [{ name: "c", image: "registry.k8s.io/pause:3.10" }] },
  };
}

async function applyPods(names: string[]): Promise<void> {
  const input = JSON.stringify({ apiVersion: "v1", kind: "List", items: names.map(podManifest) });
  const r = await cluster.kubectl(["apply", "-f", "-"], { input });
  if (r.code !== 0) throw new Error(r.stderr);
}

function start(p: AgentProcess): AgentProcess {
  procs.push(p);
  return p;
}

beforeAll(async () => {
  const kubeconfig = await cluster.nodeIdentity(NODE);
  writeFileSync(configFile, testConfigYaml(NODE, kubeconfig, dataDir));
  await applyPods(PODS);
  await cluster.kubectl(["create", "namespace", NS]);
});

afterAll(async () => {
  await cluster.startApiServer().catch(() => undefined);
  for (const p of procs) await p.kill("SIGKILL");
  await cluster.kubectl([
    "delete",
    "pod",
    ...PODS,
    "ea-r-4",
    "--ignore-not-found",
    "--force",
    "--grace-period=0",
  ]);
  await cluster.kubectl(["delete", "namespace", NS, "--ignore-not-found", "--wait=false"]);
  await cluster.kubectl(["delete", "node", NODE, "--ignore-not-found"]);
  rmSync(dataDir, { recursive: true, force: true });
});

describe("edge agent restarts", () => {
  it("survives kill -9 mid-burst: restores offline, re-creates nothing, delivers every report once", async () => {
    const created = await kubectlJson<{ items: { metadata: { name: string; uid: string } }[] }>([
      "get",
      "pods",
      "--field-selector",
      `spec.nodeName=${NODE}`,
    ]);
    const uids = Object.fromEntries(created.items.map(p => [p.metadata.name, p.metadata.uid]));

    // 1. Online, with a mapper stand-in queueing a report every 10 ms; kill -9 mid-burst.
    const burst = start(AgentProcess.script(FIXTURE, [configFile, REASON, NS]));
    const port1 = await burst.healthPort();
    await eventually("the pods cached", async () => {
      const names = (await getJson<Stored[]>(port1, "/api/meta/Pod")).map(p => p.name);
      return PODS.every(p => names.includes(p));
    });
    await eventually(
      "a burst of reports",
      async () => /enqueued 300\n/.test(burst.output),
      30_000,
      20,
    );
    await burst.kill("SIGKILL");
    const printed = Math.max(
      ...[...burst.output.matchAll(/enqueued (\d+)\n/g)].map(m => Number(m[1])),
    );

    // 2. Restart with the apiserver down: everything comes back from SQLite.
    await cluster.stopApiServer();
    const offline = start(AgentProcess.cli(["--config", configFile]));
    const port2 = await offline.healthPort();
    const restored = await getJson<Stored[]>(port2, "/api/meta/Pod");
    expect(Object.fromEntries(restored.map(p => [p.name, p.uid]))).toEqual(uids);
    expect(await metric(port2, "kubeedge_edge_pods_adopted_total")).toBe(PODS.length);
    expect(await metric(port2, "kubeedge_edge_pod_starts_total")).toBe(0);
    const h = await getJson<{ cloudConnected: boolean; outboxDepth: number }>(port2, "/healthz");
    expect(h.cloudConnected).toBe(false);
    expect(h.outboxDepth).toBeGreaterThan(0);
    await offline.kill("SIGTERM");
    expect(offline.proc.exitCode).toBe(0);

    // 3. Restart with the apiserver up: reconnects, drains, restarts nothing.
    await cluster.startApiServer();
    const online = start(AgentProcess.cli(["--config", configFile]));
    const port3 = await online.healthPort();
    await eventually(
      "reconnect and drain the outbox",
      async () => {
        const s = await getJson<{ cloudConnected: boolean; outboxDepth: number }>(
          port3,
          "/healthz",
        );
        return s.cloudConnected && s.outboxDepth === 0;
      },
      60_000,
    );
    // A pod created now proves the watch is live; it is the only pod started.
    await applyPods(["ea-r-4"]);
    await eventually(
      "the new pod to start",
      async () => (await metric(port3, "kubeedge_edge_pod_starts_total")) === 1,
    );
    expect(await metric(port3, "kubeedge_edge_pods_adopted_total")).toBe(PODS.length);
    expect(await metric(port3, "kubeedge_edge_pod_stops_total")).toBe(0);
    const after = await kubectlJson<{ items: { metadata: { name: string; uid: string } }[] }>([
      "get",
      "pods",
      "--field-selector",
      `spec.nodeName=${NODE}`,
    ]);
    // The pods from before the restart are the same objects, and the new one is the only other.
    const byName = Object.fromEntries(after.items.map(p => [p.metadata.name, p.metadata.uid]));
    expect(Object.keys(byName).sort()).toEqual([...PODS, "ea-r-4"]);
    expect(Object.fromEntries(PODS.map(name => [name, byName[name]]))).toEqual(uids);

    const events = await kubectlJson<{
      items: { message: string; metadata: { resourceVersion: string } }[];
    }>([
      "get",
      "events",
      "-n",
      NS,
      "--field-selector",
      `reason=${REASON},involvedObject.name=${NODE}`,
    ]);
    const messages = events.items
      .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
      .map(e => e.message);
    expect(messages.length).toBeGreaterThanOrEqual(printed);
    expect(messages).toEqual(Array.from({ length: messages.length }, (_, i) => `burst-${i + 1}`));
  });
});
