/**
 * Edged's probes and its resistance to bad input, on a real containerd from a real control
 * plane: a failing liveness probe restarts the container in the same pod, a failing readiness
 * probe only makes the pod unready; the Node reports the runtime and its images; a pod's
 * projected service account token authenticates as its ServiceAccount; and a malformed pod in
 * the agent's SQLite store is named in an Event while the other pods keep being served.
 */
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { type Cri, connectCri } from "../../edge-agent/src/edged/cri/client.js";
import { Label } from "../../edge-agent/src/edged/spec/labels.js";
import { BUSYBOX_IMAGE } from "../../local/images/index.js";
import { AgentProcess, tempDir } from "../edge-agent/agent.js";
import { eventually, testCluster, testContainerd } from "../harness.js";
import {
  apply,
  createPodNamespace,
  isReady,
  kubectlJson,
  pod,
  type PodJson,
  writeEdgedConfig,
} from "./cluster-pods.js";

const cluster = testCluster();
const containerd = testContainerd();
const NODE = "edged-health-1";
const NS = "edged-health";
const dataDir = tempDir("edged-health");
let agent: AgentProcess;
let cri: Cri;

const exec = (...command: string[]) => ({ exec: { command } });
/** Where every pod's kube-api-access volume is mounted. */
const SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

interface TokenReviewStatus {
  authenticated?: boolean;
  user: { username: string; extra?: Record<string, string[]> };
}

const everySecond = { periodSeconds: 1, timeoutSeconds: 5, failureThreshold: 1 };

const sleeper = (extra: Record<string, unknown> = {}) => ({
  name: "main",
  image: BUSYBOX_IMAGE,
  command: ["sh", "-c", "while true; do sleep 1; done"],
  ...extra,
});

const getPod = (name: string): Promise<PodJson> =>
  kubectlJson<PodJson>(cluster, ["get", "pod", name, "-n", NS]);

const readyCondition = (p: PodJson): string | undefined =>
  p.status.conditions?.find(c => c.type === "Ready")?.status;

async function runningContainer(podName: string): Promise<string | undefined> {
  const labelSelector = { [Label.Node]: NODE, [Label.PodName]: podName };
  const list = await cri.listContainers({ labelSelector });
  return list.find(c => c.state === "CONTAINER_RUNNING")?.id;
}

beforeAll(async () => {
  const file = await writeEdgedConfig(cluster, NODE, dataDir, containerd.endpoint, 0);
  cri = await connectCri(containerd.endpoint);
  await createPodNamespace(cluster, NS);
  agent = AgentProcess.cli(["--config", file]);
  await agent.healthPort();
});

afterAll(async () => {
  await cluster.kubectl(["delete", "namespace", NS, "--wait=false"]);
  await eventually(
    "the node's containers to be removed",
    async () => (await cri.listContainers({ labelSelector: { [Label.Node]: NODE } })).length === 0,
    90_000,
  ).catch(() => undefined);
  await agent?.kill("SIGKILL");
  cri?.close();
});

describe("edged probes and bad input", () => {
  it("restarts a container whose liveness probe fails; an unready one is never restarted", async () => {
    await apply(
      cluster,
      pod(NS, "unlively", NODE, {
        containers: [
          sleeper({ livenessProbe: { ...exec("test", "-e", "/alive"), ...everySecond } }),
        ],
      }),
      pod(NS, "unready", NODE, {
        containers: [
          sleeper({ readinessProbe: { ...exec("test", "-e", "/ready"), ...everySecond } }),
        ],
      }),
    );
    const unready = await eventually(
      "unready: Running with Ready=False",
      async () => {
        const p = await getPod("unready");
        const c = p.status.containerStatuses?.[0];
        return p.status.phase === "Running" && c?.state.running && readyCondition(p) === "False"
          ? p
          : undefined;
      },
      90_000,
      500,
    );
    const unreadyId = unready.status.containerStatuses![0]!.containerID;
    const first = await getPod("unlively");
    const restarted = await eventually(
      "unlively restarted twice by its liveness probe",
      async () => {
        const p = await getPod("unlively");
        return (p.status.containerStatuses?.[0]?.restartCount ?? 0) >= 2 ? p : undefined;
      },
      120_000,
      500,
    );
    expect(restarted.metadata.uid).toBe(first.metadata.uid);

    // The readiness pod went through the same seconds of failing probes: not restarted.
    const stillUnready = await getPod("unready");
    expect(stillUnready.metadata.uid).toBe(unready.metadata.uid);
    expect(stillUnready.status.containerStatuses![0]).toMatchObject({
      restartCount: 0,
      ready: false,
      containerID: unreadyId,
    });
    expect(stillUnready.status.conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: "ContainersReady", status: "False" }),
        expect.objectContaining({ type: "Ready", status: "False" }),
      ]),
    );

    // The probe decides: once it passes, the same container becomes ready.
    const id = await runningContainer("unready");
    expect(`containerd://${id}`).toBe(unreadyId);
    await cri.execSync(id!, ["touch", "/ready"], 5);
    const ready = await eventually(
      "unready becomes Ready once its probe passes",
      async () => {
        const p = await getPod("unready");
        return isReady(p) ? p : undefined;
      },
      60_000,
      500,
    );
    expect(ready.status.containerStatuses![0]).toMatchObject({
      restartCount: 0,
      containerID: unreadyId,
    });
  });

  it("reports the runtime's version and images on the Node", async () => {
    const status = await eventually(
      "the Node's images and runtime version",
      async () => {
        const node = await kubectlJson<{
          status: {
            images?: { names: string[]; sizeBytes: number }[];
            nodeInfo: { containerRuntimeVersion: string };
          };
        }>(cluster, ["get", "node", NODE]);
        return node.status.images?.length ? node.status : undefined;
      },
      60_000,
      500,
    );
    const version = await cri.version();
    expect(status.nodeInfo.containerRuntimeVersion).toBe(`containerd://${version.runtimeVersion}`);
    const busybox = status.images!.find(i => i.names.includes(BUSYBOX_IMAGE));
    expect(busybox?.sizeBytes).toBe((await cri.imageStatus(BUSYBOX_IMAGE))!.size);
  });

  it("gives the pod a service account token that authenticates as its ServiceAccount", async () => {
    await apply(cluster, pod(NS, "api-user", NODE, { containers: [sleeper()] }));
    const p = await eventually(
      "api-user Ready",
      async () => {
        const got = await getPod("api-user");
        return isReady(got) ? got : undefined;
      },
      90_000,
      500,
    );
    const id = await runningContainer("api-user");
    const read = await cri.execSync(id!, ["cat", `${SA_DIR}/token`], 5);
    const token = read.stdout.toString();
    expect(token).toMatch(/^ey/);
    const review = {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenReview",
      spec: { token },
    };
    const r = await cluster.kubectl(["create", "-f", "-", "-o", "json"], {
      input: JSON.stringify(review),
    });
    expect(r.code).toBe(0);
    const status = (JSON.parse(r.stdout) as { status: TokenReviewStatus }).status;
    expect(status.authenticated).toBe(true);
    expect(status.user.username).toBe(`system:serviceaccount:${NS}:default`);
    expect(status.user.extra?.["authentication.kubernetes.io/pod-uid"]).toEqual([p.metadata.uid]);
    const ns = await cri.execSync(id!, ["cat", `${SA_DIR}/namespace`], 5);
    expect(ns.stdout.toString()).toBe(NS);
  });

  it("names a malformed pod of its store in an Event and keeps serving the others", async () => {
    await apply(cluster, pod(NS, "steady", NODE, { containers: [sleeper()] }));
    await eventually("steady Ready", async () => isReady(await getPod("steady")), 90_000, 500);
    const steadyId = await runningContainer("steady");

    // Fuzz the agent's store: a pod whose spec edged cannot read, written behind its back.
    const broken = {
      kind: "Pod",
      apiVersion: "v1",
      metadata: { name: "broken", namespace: NS, uid: "0d6f1c1e-broken", resourceVersion: "1" },
      spec: { nodeName: NODE, containers: "not a list" },
    };
    const db = new BetterSqlite3(join(dataDir, "edge.db"));
    try {
      db.pragma("busy_timeout = 5000");
      db.prepare(
        `INSERT INTO meta (kind, namespace, name, uid, resource_version, generation, object,
                           updated_at)
         VALUES ('Pod', ?, 'broken', ?, '1', 0, ?, ?)`,
      ).run(NS, broken.metadata.uid, JSON.stringify(broken), Date.now());
    } finally {
      db.close();
    }

    const event = await eventually(
      "a MalformedPod event naming the broken pod",
      async () => {
        const list = await kubectlJson<{
          items: { reason: string; message: string; involvedObject: { name: string } }[];
        }>(cluster, ["get", "events", "-n", NS, "--field-selector", "involvedObject.name=broken"]);
        return list.items.find(e => e.reason === "MalformedPod");
      },
      60_000,
      500,
    );
    expect(event.message).toContain("spec.containers");

    // The pods around it: the running one keeps its container, a new one still starts.
    await apply(cluster, pod(NS, "newcomer", NODE, { containers: [sleeper()] }));
    await eventually("newcomer Ready", async () => isReady(await getPod("newcomer")), 90_000, 500);
    expect(isReady(await getPod("steady"))).toBe(true);
    expect(await runningContainer("steady")).toBe(steadyId);
    expect(agent.exited).toBe(false);
  });
});
