/**
 * An edge node of the water utility e2e tests: the edge agent as its own process (so it can be
 * killed with -9 and started again on the same data directory), with pods through the run's
 * containerd, and the samples bound to it the way the demo binds them.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "@kubeedge-ts/testkit";
import { agentConfigYaml } from "../../cli/demo/agent-config.js";
import { demoManifests } from "../../cli/demo/manifests.js";
import { deviceRow } from "../../cli/demo/snapshot.js";
import type { Cri } from "../../edge-agent/src/edged/cri/client.js";
import { Label } from "../../edge-agent/src/edged/spec/labels.js";
import type { WaterPlant } from "../../local/plant/index.js";
import { AgentProcess, tempDir } from "../edge-agent/agent.js";
import { eventually, type TestCluster, type TestContainerd } from "../harness.js";
import { isReady, kubectlJson, podsWith } from "../edged/cluster-pods.js";

export type Manifest = Record<string, unknown> & {
  kind: string;
  metadata: Record<string, unknown>;
};

interface PodSpec {
  nodeSelector?: Record<string, string>;
  containers: { env?: { name: string; value?: string }[] }[];
}

export const MAPPER_DEPLOYMENT = "modbus-mapper";
export const APP_DEPLOYMENT = "water-utility";

export class WaterNode {
  agent!: AgentProcess;
  healthzPort!: number;
  private constructor(
    readonly node: string,
    readonly ns: string,
    readonly dataDir: string,
    /** The node's identity (system:node:<node>), as its agent uses it. */
    readonly kubeconfig: string,
    private readonly configFile: string,
  ) {}

  /** Writes the agent's config (the demo's, in `ns`) and starts the agent. */
  static async start(
    cluster: TestCluster,
    containerd: TestContainerd,
    node: string,
    ns: string,
  ): Promise<WaterNode> {
    const dataDir = tempDir(node);
    const configFile = join(dataDir, "agent.yaml");
    const kubeconfig = await cluster.nodeIdentity(node);
    writeFileSync(
      configFile,
      agentConfigYaml({
        node,
        dataDir,
        kubeconfig,
        runtimeEndpoint: containerd.endpoint,
        healthzPort: await freePort(),
        kubeletPort: 0,
        mqttUrl: `tcp://127.0.0.1:${await freePort()}`,
        namespace: ns,
        sharedRuntime: true,
      }),
    );
    const n = new WaterNode(node, ns, dataDir, kubeconfig, configFile);
    await n.startAgent();
    return n;
  }

  /** `kubeedge-edge --config` on this node's config and data directory. */
  async startAgent(): Promise<void> {
    this.agent = AgentProcess.cli(["--config", this.configFile]);
    this.healthzPort = await this.agent.healthPort();
  }

  /** The samples for this node in its namespace, every Deployment pinned to this node. */
  manifests(plant: WaterPlant, mapperHttpPort: number): Manifest[] {
    const all = demoManifests({
      node: this.node,
      gateway: { host: plant.host, port: plant.port },
      // The samples read the broker's address from the agent's reserved Secrets.
      mqttUrl: "mqtt://unused",
      mapperHttpPort,
    }) as Manifest[];
    return all.map(m => {
      const copy = structuredClone(m);
      copy.metadata.namespace = this.ns;
      if (copy.kind === "Deployment") {
        // Other tests' nodes may carry modbus=true as well: this one belongs on this node.
        const pod = podSpec(copy);
        pod.nodeSelector = { ...pod.nodeSelector, "kubernetes.io/hostname": this.node };
      }
      return copy;
    });
  }

  /** Waits for the pod of Deployment `app` Running and Ready on this node. */
  async podReady(cluster: TestCluster, app: string): Promise<void> {
    await eventually(
      `the ${app} pod Running and Ready on ${this.node}`,
      async () => {
        const pods = await podsWith(cluster, this.ns, `app=${app}`);
        return pods.length === 1 && pods[0]!.spec.nodeName === this.node && isReady(pods[0]!);
      },
      180_000,
      1000,
    );
  }

  /** A reported twin value of a Device in this node's namespace, as a number. */
  async reported(cluster: TestCluster, device: string, property: string) {
    const d = await kubectlJson<Parameters<typeof deviceRow>[0]>(cluster, [
      "get",
      "device",
      device,
      "-n",
      this.ns,
    ]);
    const v = deviceRow(d).twins.find(t => t.property === property)?.reported;
    return v === undefined ? undefined : Number(v);
  }

  /** The running container of this node's pod whose name starts with `pod` (the CRI view). */
  async container(cri: Cri, pod: string): Promise<string | undefined> {
    const list = await cri.listContainers({ labelSelector: { [Label.Node]: this.node } });
    return list.find(
      c => c.state === "CONTAINER_RUNNING" && c.labels[Label.PodName]?.startsWith(pod),
    )?.id;
  }
}

export function podSpec(deployment: Manifest): PodSpec {
  return (deployment as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
}

/** The literal environment a Deployment's first container gets. */
export function literalEnv(deployment: Manifest): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of podSpec(deployment).containers[0]?.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
  }
  return env;
}

export function deployment(all: Manifest[], name: string): Manifest {
  const d = all.find(m => m.kind === "Deployment" && m.metadata.name === name);
  if (!d) throw new Error(`no Deployment ${name} in the samples`);
  return d;
}
