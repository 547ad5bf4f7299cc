/**
 * Edged runs the edge node's pods through a real containerd, from a real control plane:
 * Deployments come up Running and Ready, ConfigMap volumes follow `kubectl edit`, crashing
 * containers back off, bad pods get clear statuses while the others keep running.
 */
import { freePort } from "@kubeedge-ts/testkit";
import { type Cri, connectCri } from "../../edge-agent/src/edged/cri/client.js";
import { Label } from "../../edge-agent/src/edged/spec/labels.js";
import { BUSYBOX_IMAGE } from "../../local/images/index.js";
import { AgentProcess, tempDir } from "../edge-agent/agent.js";
import { eventually, testCluster, testContainerd } from "../harness.js";
import {
  apply,
  createPodNamespace,
  deployment,
  edgePodSpec,
  isReady,
  kubectlJson,
  pod,
  podsWith,
  type PodJson,
  writeEdgedConfig,
} from "./cluster-pods.js";

const cluster = testCluster();
const containerd = testContainerd();
const NODE = "edged-pods-1";
const NS = "edged-pods";
const dataDir = tempDir("edged-pods");
let agent: AgentProcess;
let cri: Cri;

const busybox = (name: string, script: string, extra: Record<string, unknown> = {}) => ({
  name,
  image: BUSYBOX_IMAGE,
  imagePullPolicy: "IfNotPresent",
  command: ["sh", "-c", script],
  ...extra,
});

/** Containers this node runs, by CRI label (the crictl view). */
async function nodeContainers(
  podName?: string,
): Promise<{ id: string; state: string; pod: string }[]> {
  const labelSelector: Record<string, string> = { [Label.Node]: NODE };
  if (podName !== undefined) labelSelector[Label.PodName] = podName;
  return (await cri.listContainers({ labelSelector })).map(c => ({
    id: c.id,
    state: c.state,
    pod: c.labels[Label.PodName] ?? "",
  }));
}

beforeAll(async () => {
  const file = await writeEdgedConfig(
    cluster,
    NODE,
    dataDir,
    containerd.endpoint,
    await freePort(),
  );
  cri = await connectCri(containerd.endpoint);
  await createPodNamespace(cluster, NS);
  agent = AgentProcess.cli(["--config", file]);
  await agent.healthPort();
  await eventually(
    "the edge node to register",
    async () => (await cluster.kubectl(["get", "node", NODE])).code === 0,
    60_000,
  );
});

afterAll(async () => {
  await cluster.kubectl(["delete", "namespace", NS, "--wait=false"]);
  await eventually(
    "the node's containers to be removed",
    async () => (await nodeContainers()).length === 0,
    90_000,
  ).catch(() => undefined);
  await agent?.kill("SIGKILL");
  cri?.close();
});

describe("edged on a real containerd", () => {
  it("brings a 3-replica Deployment to Running and Ready, then scales it to 1", async () => {
    const spec = edgePodSpec(NODE, {
      containers: [
        busybox("web", "echo hello from $(POD); while true; do sleep 1; done", {
          env: [{ name: "POD", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }],
        }),
      ],
    });
    await apply(cluster, deployment(NS, "web", 3, spec));
    const pods = await eventually(
      "3 web pods Running and Ready",
      async () => {
        const items = await podsWith(cluster, NS, "app=web");
        return items.length === 3 && items.every(isReady) ? items : undefined;
      },
      120_000,
      500,
    );
    expect(pods.every(p => p.spec.nodeName === NODE && p.status.podIP)).toBe(true);
    const ids = pods.map(p =>
      p.status.containerStatuses![0]!.containerID!.replace("containerd://", ""),
    );
    const running = (await nodeContainers())
      .filter(c => c.state === "CONTAINER_RUNNING")
      .map(c => c.id);
    expect(running).toEqual(expect.arrayContaining(ids));

    for (const p of pods) {
      const logs = await cluster.kubectl(["logs", "-n", NS, p.metadata.name]);
      expect(logs).toMatchObject({ code: 0, stdout: `hello from ${p.metadata.name}\n` });
    }

    const r = await cluster.kubectl(["scale", "deployment", "web", "-n", NS, "--replicas=1"]);
    expect(r.code).toBe(0);
    await eventually(
      "two web pods gone from the apiserver and the runtime",
      async () => {
        const items = await podsWith(cluster, NS, "app=web");
        const live = (await nodeContainers()).filter(c => c.pod.startsWith("web-"));
        return items.length === 1 && live.length === 1 && live[0]!.pod === items[0]!.metadata.name;
      },
      90_000,
      500,
    );
  });

  it("updates a ConfigMap volume in the running container after an edit", async () => {
    await apply(
      cluster,
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "greeting", namespace: NS },
        data: { text: "first" },
      },
      pod(NS, "reader", NODE, {
        containers: [
          busybox("main", "while true; do sleep 1; done", {
            volumeMounts: [{ name: "cfg", mountPath: "/cfg" }],
          }),
        ],
        volumes: [{ name: "cfg", configMap: { name: "greeting" } }],
      }),
    );
    const readFile = async (): Promise<string> => {
      const [c] = (await nodeContainers("reader")).filter(x => x.state === "CONTAINER_RUNNING");
      if (!c) return "";
      const out = await cri.execSync(c.id, ["cat", "/cfg/text"], 5);
      return out.stdout.toString();
    };
    await eventually(
      "the first content in the container",
      async () => (await readFile()) === "first",
      90_000,
      500,
    );
    const id = (await nodeContainers("reader"))[0]!.id;
    const patch = JSON.stringify({ data: { text: "second" } });
    expect(
      (await cluster.kubectl(["patch", "configmap", "greeting", "-n", NS, "-p", patch])).code,
    ).toBe(0);
    await eventually(
      "the edited content in the same container",
      async () => (await readFile()) === "second",
      60_000,
      500,
    );
    expect((await nodeContainers("reader"))[0]!.id).toBe(id);
  });

  it("restarts a failing container with back-off: RESTARTS >= 2 and CrashLoopBackOff", async () => {
    await apply(
      cluster,
      pod(NS, "crasher", NODE, { containers: [busybox("main", "echo failing; exit 1")] }),
    );
    const status = await eventually(
      "crasher in CrashLoopBackOff after 2 restarts",
      async () => {
        const p = await kubectlJson<PodJson>(cluster, ["get", "pod", "crasher", "-n", NS]);
        const c = p.status.containerStatuses?.[0];
        return c && c.restartCount >= 2 && c.state.waiting?.reason === "CrashLoopBackOff"
          ? c
          : undefined;
      },
      90_000,
      500,
    );
    expect(status.state.waiting?.message).toMatch(
      /^back-off \d+s restarting failed container=main/,
    );
    const table = await cluster.kubectl(["get", "pod", "crasher", "-n", NS]);
    expect(table.stdout).toMatch(/crasher\s+0\/1\s+CrashLoopBackOff\s+[2-9]/);
  });

  it("reports an absent image as ErrImagePull/ImagePullBackOff and keeps the others running", async () => {
    await apply(
      cluster,
      pod(NS, "noimage", NODE, {
        containers: [{ name: "main", image: "docker.io/kubeedge-ts/absent:0.0" }],
      }),
    );
    const reasons = new Set<string>();
    await eventually(
      "ImagePullBackOff after ErrImagePull",
      async () => {
        const p = await kubectlJson<PodJson>(cluster, ["get", "pod", "noimage", "-n", NS]);
        const reason = p.status.containerStatuses?.[0]?.state.waiting?.reason;
        if (reason) reasons.add(reason);
        return reasons.has("ImagePullBackOff");
      },
      90_000,
      250,
    );
    const web = await podsWith(cluster, NS, "app=web");
    expect(web.map(isReady)).toEqual([true]);
  });

  it("reports a volume type it cannot serve as a FailedMount event", async () => {
    await apply(
      cluster,
      pod(NS, "nfs-user", NODE, {
        containers: [
          busybox("main", "sleep 3600", { volumeMounts: [{ name: "data", mountPath: "/data" }] }),
        ],
        volumes: [{ name: "data", nfs: { server: "192.0.2.10", path: "/export" } }],
      }),
    );
    const event = await eventually(
      "a FailedMount event on the pod",
      async () => {
        const list = await kubectlJson<{
          items: { reason: string; message: string; involvedObject: { name: string } }[];
        }>(cluster, [
          "get",
          "events",
          "-n",
          NS,
          "--field-selector",
          "involvedObject.name=nfs-user",
        ]);
        return list.items.find(e => e.reason === "FailedMount");
      },
      60_000,
      500,
    );
    expect(event.message).toBe("volume data: unsupported volume type nfs");
  });
});
