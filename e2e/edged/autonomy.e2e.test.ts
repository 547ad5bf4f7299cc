/**
 * Edge autonomy with real containers: with the apiserver gone, a killed agent comes back and
 * adopts the running containers (same ids); after a reboot of the node (its own containerd
 * powered off: containers, shims, state and pod network gone, then started again on the same
 * socket) the pods run again from the agent's SQLite store, offline; when the apiserver
 * returns, nothing is re-created and the statuses catch up.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Cri, connectCri } from "../../edge-agent/src/edged/cri/client.js";
import { Label } from "../../edge-agent/src/edged/spec/labels.js";
import { type RunningContainerd, startContainerd } from "../../local/containerd/index.js";
import { BUSYBOX_IMAGE, baseImages, buildImage, importImages } from "../../local/images/index.js";
import { AgentProcess, metric, tempDir } from "../edge-agent/agent.js";
import { eventually, testCluster } from "../harness.js";
import {
  apply,
  createPodNamespace,
  isReady,
  pod,
  podsWith,
  writeEdgedConfig,
} from "./cluster-pods.js";

const cluster = testCluster();
let containerd: RunningContainerd;
const NODE = "edged-autonomy-1";
const NS = "edged-autonomy";
const PODS = ["keeper-a", "keeper-b"];
const dataDir = tempDir("edged-autonomy");
let configFile: string;
const agents: AgentProcess[] = [];
let cri: Cri;

function startAgent(): AgentProcess {
  const a = AgentProcess.cli(["--config", configFile]);
  agents.push(a);
  return a;
}

/** Running containers of this node, pod name → container id. */
async function runningIds(): Promise<Record<string, string>> {
  const list = await cri.listContainers({ labelSelector: { [Label.Node]: NODE } });
  const running = list.filter(c => c.state === "CONTAINER_RUNNING");
  return Object.fromEntries(running.map(c => [c.labels[Label.PodName]!, c.id]));
}

const allRunning = (ids: Record<string, string>): boolean => PODS.every(p => ids[p] !== undefined);

beforeAll(async () => {
  // The node's own containerd: this test reboots it, which the run's shared one must not see.
  const built = [];
  for (const spec of baseImages()) built.push(await buildImage(spec));
  containerd = await startContainerd({
    dir: mkdtempSync(join(tmpdir(), "kubeedge-ts-containerd-autonomy-")),
    ownerPid: process.pid,
    removeDir: true,
  });
  await importImages(containerd.address, built);
  configFile = await writeEdgedConfig(cluster, NODE, dataDir, containerd.endpoint, 0);
  cri = await connectCri(containerd.endpoint);
  await createPodNamespace(cluster, NS);
  const script = "while true; do sleep 1; done";
  const container = { name: "main", image: BUSYBOX_IMAGE, command: ["sh", "-c", script] };
  await apply(cluster, ...PODS.map(name => pod(NS, name, NODE, { containers: [container] })));
});

afterAll(async () => {
  await cluster.startApiServer().catch(() => undefined);
  await cluster.kubectl(["delete", "namespace", NS, "--wait=false"]);
  if (agents.at(-1)?.exited === false) {
    await eventually(
      "the pods' containers removed",
      async () => Object.keys(await runningIds()).length === 0,
      90_000,
    ).catch(() => undefined);
  }
  for (const a of agents) await a.kill("SIGKILL");
  cri?.close();
  await containerd?.stop();
});

describe("edged autonomy", () => {
  it("keeps, adopts and restarts containers with the cloud away, and re-creates nothing after", async () => {
    const first = startAgent();
    await first.healthPort();
    const pods = await eventually(
      "both pods Running and Ready",
      async () => {
        const items = await podsWith(cluster, NS, "app");
        return items.length === PODS.length && items.every(isReady) ? items : undefined;
      },
      120_000,
      500,
    );
    const uids = Object.fromEntries(pods.map(p => [p.metadata.name, p.metadata.uid]));
    const before = await runningIds();
    expect(allRunning(before)).toBe(true);

    await cluster.stopApiServer();
    await first.kill("SIGKILL");
    const offline = startAgent();
    const port = await offline.healthPort();
    await eventually(
      "the restarted agent to count both pods running",
      async () => (await metric(port, "kubeedge_edge_pods_running")) === 2,
      60_000,
    );
    expect(await runningIds()).toEqual(before);

    // The node reboots while the cloud is away: the agent dies with it, the runtime comes back
    // with its containers and state gone (its records on disk say they exited).
    await offline.kill("SIGKILL");
    await containerd.reboot();
    cri.close();
    cri = await connectCri(containerd.endpoint);
    expect(await runningIds()).toEqual({});
    const rebooted = startAgent();
    await rebooted.healthPort();
    const after = await eventually(
      "the pods running again from the local store",
      async () => {
        const ids = await runningIds();
        return allRunning(ids) ? ids : undefined;
      },
      90_000,
      500,
    );
    expect(Object.values(after).some(id => Object.values(before).includes(id))).toBe(false);

    await cluster.startApiServer();
    await eventually(
      "the statuses caught up with the new containers, same pods",
      async () => {
        const items = await podsWith(cluster, NS, "app");
        const ids = await runningIds();
        return (
          items.length === PODS.length &&
          items.every(p => uids[p.metadata.name] === p.metadata.uid && isReady(p)) &&
          items.every(
            p =>
              p.status.containerStatuses?.[0]?.containerID ===
              `containerd://${ids[p.metadata.name]}`,
          )
        );
      },
      120_000,
      500,
    );
  });
});
