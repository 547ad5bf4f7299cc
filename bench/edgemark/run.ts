/**
 * One edgemark run: the cloud, N hollow nodes with D devices and P pods each, a steady window
 * of mapper reports and desired changes, then a profile change touching one node and a module
 * restart with the fleet present. Returns every figure; `report.ts` prints them.
 */
import { loadavg } from "node:os";
import { availableParallelism } from "node:os";
import { profileConfigMapName, NODE_LEASE_NAMESPACE } from "@kubeedge-ts/contract";
import { eventually } from "@kubeedge-ts/testkit";
import type { KubeObject } from "../../edge-agent/src/kube/client.js";
import { edgemarkCluster, type EdgemarkCluster } from "./cluster.js";
import { watchCollection } from "./cluster-watch.js";
import {
  createDevice,
  createDevices,
  createPods,
  deleteDevice,
  DEVICES_PATH,
  patchDesired,
  prepareNamespace,
  removeFleetObjects,
} from "./cloud-objects.js";
import { apiserverMetrics, costWindow, openWatches, snapshot } from "./cloud-cost.js";
import { startFleet, type Fleet } from "./fleet.js";
import {
  deviceName,
  DESIRED_PROPERTY,
  edgemarkDevice,
  EDGEMARK_NAMESPACE,
  hollowNodeName,
  REPORTED_PROPERTY,
} from "./fleet-objects.js";
import { LatencyTracker } from "./latency.js";
import { NodeHealth } from "./node-health.js";
import { summarize, type EdgemarkResult } from "./result.js";

export interface EdgemarkOptions {
  nodes: number;
  devicesPerNode: number;
  reportSeconds: number;
  podsPerNode: number;
  desiredPerSecond: number;
  durationSeconds: number;
  heartbeatSeconds: number;
  /** Restart the module with the fleet present and time it (default true). */
  moduleRestart?: boolean;
  /** State folder of a running local control plane; a fresh one is started when unset. */
  clusterDir?: string;
  progress?: (line: string) => void;
}

interface Twin {
  propertyName: string;
  reported?: { value?: string };
}

const sleep = (ms: number): Promise<void> => new Promise(r => setTimeout(r, ms));
const since = (t0: number): number => Math.round(performance.now() - t0);

export async function runEdgemark(o: EdgemarkOptions): Promise<EdgemarkResult> {
  const say = o.progress ?? (() => undefined);
  const machine = { nproc: availableParallelism(), loadStart: loadavg(), loadEnd: [0, 0, 0] };
  const names = Array.from({ length: o.nodes }, (_, i) => hollowNodeName(i));
  const isHollow = (n: string): boolean => names.includes(n);
  const health = new NodeHealth(isHollow, o.heartbeatSeconds * 1000);
  const reported = new LatencyTracker();
  const desired = new LatencyTracker();
  const watches = new AbortController();
  const cluster: EdgemarkCluster = await edgemarkCluster(o.clusterDir);
  let fleet: Fleet | undefined;
  const timings: Record<string, number> = {};
  try {
    timings.moduleStartEmptyMs = await cluster.startModule();
    await prepareNamespace(cluster.admin);
    const admin = cluster.admin;
    const leasePath = `/apis/coordination.k8s.io/v1/namespaces/${NODE_LEASE_NAMESPACE}/leases`;
    void watchCollection(admin, "/api/v1/nodes", health.onNode, watches.signal);
    void watchCollection(admin, leasePath, health.onLease, watches.signal);
    void watchCollection(
      admin,
      DEVICES_PATH,
      (d, _type, at) => {
        const twins = ((d.status as { twins?: Twin[] })?.twins ?? []) as Twin[];
        const value = twins.find(t => t.propertyName === REPORTED_PROPERTY)?.reported?.value;
        reported.arrived(d.metadata.name, value, at);
      },
      watches.signal,
    );

    say(`starting ${o.nodes} hollow nodes`);
    let t0 = performance.now();
    fleet = await startFleet({
      nodes: o.nodes,
      devicesPerNode: o.devicesPerNode,
      reportSeconds: o.reportSeconds,
      heartbeatSeconds: o.heartbeatSeconds,
      identity: n => cluster.nodeIdentity(n),
      onDelta: seen => desired.arrived(seen.device, seen.delta[DESIRED_PROPERTY], seen.at),
    });
    const startDeadline = 120_000 + o.nodes * 1000;
    await eventually(
      "every hollow node Ready",
      () => health.readyCount() >= o.nodes,
      startDeadline,
      250,
    );
    timings.fleetReadyMs = since(t0);

    say(`creating ${o.nodes * o.devicesPerNode} devices and ${o.nodes * o.podsPerNode} pods`);
    t0 = performance.now();
    await createDevices(admin, names, o.devicesPerNode, o.reportSeconds);
    await createPods(admin, names, o.podsPerNode);
    timings.objectsCreatedMs = since(t0);
    const members = fleet.memberCounts;
    await eventually(
      "every hollow node's DeviceTwin to have its devices",
      () => members().every(n => n >= o.devicesPerNode),
      startDeadline + o.nodes * o.devicesPerNode * 200,
      250,
      () => `members: ${members().filter(n => n < o.devicesPerNode).length} nodes short`,
    );
    timings.devicesAtNodesMs = since(t0);

    say(`steady window: ${o.durationSeconds} s`);
    const pids = cluster.pids();
    fleet.startReports((device, value) => reported.stamp(device, value));
    await sleep(o.reportSeconds * 1000); // one period for every node to be reporting
    health.measuring = true;
    const before = await snapshot(admin, pids);
    const edge0 = fleet.edgeCounters();
    const fleetCpu0 = process.cpuUsage();
    const desiredTimer = startDesiredChanges(cluster, o, desired);
    await sleep(o.durationSeconds * 1000);
    clearInterval(desiredTimer);
    const after = await snapshot(admin, pids);
    const edgeCounters = counterDeltas(edge0, fleet.edgeCounters());
    const fleetCpu = process.cpuUsage(fleetCpu0);
    const metricsText = await apiserverMetrics(admin);
    health.measuring = false;
    const cost = costWindow(before, after, pids);
    cost.processes.hollowFleet = {
      cpuMsPerSecond: Math.round((fleetCpu.user + fleetCpu.system) / 1000 / cost.seconds),
      rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
    };
    fleet.stopReports();
    reported.measuring = false;
    desired.measuring = false;
    await sleep(2 * o.reportSeconds * 1000); // the last values' two report cycles

    say("profile change touching one node; module restart");
    // A failure here (a deadline missed on the loaded machine) is a figure, not a lost run.
    const problems: string[] = [];
    await lastPhase(cluster, fleet, o, timings).catch((error: unknown) => {
      problems.push(`one-node change / module restart: ${(error as Error).message}`);
    });
    machine.loadEnd = loadavg();
    return summarize({
      options: o,
      machine,
      timings,
      cost,
      openWatches: openWatches(metricsText),
      edgeCounters,
      health,
      reported,
      desired,
      reportSeconds: o.reportSeconds,
      problems,
    });
  } finally {
    watches.abort();
    await fleet?.stop();
    await removeFleetObjects(cluster.admin, names);
    await cluster.close();
  }
}

/** Desired changes at the given rate, over all devices in turn, each one toggling ON/OFF. */
function startDesiredChanges(
  cluster: EdgemarkCluster,
  o: EdgemarkOptions,
  tracker: LatencyTracker,
): NodeJS.Timeout | undefined {
  if (o.desiredPerSecond <= 0) return undefined;
  const total = o.nodes * o.devicesPerNode;
  const values = new Map<string, string>();
  let seq = 0;
  return setInterval(() => {
    const k = (seq++ * 7919) % total; // a prime stride visits every node before repeating
    const device = deviceName(
      hollowNodeName(Math.floor(k / o.devicesPerNode)),
      k % o.devicesPerNode,
    );
    const value = values.get(device) === "OFF" ? "ON" : "OFF";
    values.set(device, value);
    tracker.stamp(device, value);
    patchDesired(cluster.admin, device, value).catch(() => undefined);
  }, 1000 / o.desiredPerSecond);
}

/**
 * A new Device bound to node 0 (or its removal): how long until the node's profile ConfigMap
 * has it (the module's reconcile) and until the node's DeviceTwin has it.
 */
async function oneNodeChange(
  cluster: EdgemarkCluster,
  fleet: Fleet,
  o: EdgemarkOptions,
  remove = false,
): Promise<Record<string, number>> {
  const node = fleet.nodes[0]!;
  const name = deviceName(node.name, o.devicesPerNode);
  const cmPath = `/api/v1/namespaces/${EDGEMARK_NAMESPACE}/configmaps/${profileConfigMapName(node.name)}`;
  const t0 = performance.now();
  if (remove) await deleteDevice(cluster.admin, name);
  else
    await eventually(
      "the extra Device admitted",
      () =>
        createDevice(
          cluster.admin,
          edgemarkDevice(node.name, o.devicesPerNode, o.reportSeconds),
        ).then(() => true),
      60_000,
      200,
    );
  const inProfile = async (): Promise<boolean> => {
    const cm = await cluster.admin.get<KubeObject>(cmPath);
    return JSON.stringify(cm.data ?? {}).includes(`\\"${name}\\"`) !== remove;
  };
  await eventually("the profile ConfigMap to follow", inProfile, 120_000, 50);
  const profileMs = since(t0);
  const atNode = (): boolean => node.twin.state!.list().some(d => d.name === name) !== remove;
  await eventually("the node's DeviceTwin to follow", atNode, 120_000, 20);
  return { profileReconcileOneNodeMs: profileMs, profileAtNodeMs: since(t0) };
}

async function lastPhase(
  cluster: EdgemarkCluster,
  fleet: Fleet,
  o: EdgemarkOptions,
  timings: Record<string, number>,
): Promise<void> {
  Object.assign(timings, await oneNodeChange(cluster, fleet, o));
  if (o.moduleRestart === false) return;
  await cluster.stopModule();
  timings.moduleRestartMs = await cluster.startModule();
  const again = await oneNodeChange(cluster, fleet, o, true);
  Object.assign(timings, prefixed("afterRestart", again));
}

function counterDeltas(a: Map<string, number>, b: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, n] of b) if (n - (a.get(key) ?? 0) > 0) out[key] = n - (a.get(key) ?? 0);
  return out;
}

function prefixed(prefix: string, r: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(r).map(([k, v]) => [prefix + k[0]!.toUpperCase() + k.slice(1), v]),
  );
}
