/**
 * What the demo applies with kubectl: samples/water-utility.yaml (models, devices, the edge
 * application) and samples/modbus-mapper-deployment.yaml, as a user would apply them, with only
 * the addresses of this machine filled in: the simulated gateway, a profile ConfigMap named for
 * one node (a node-relative name is left for the agent to resolve) and, when the agent's broker
 * is not on its default port, literal broker URLs, and a free port for the mapper's HTTP server
 * (host network: the sample's fixed port may be taken on a shared machine).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { PROFILE_CONFIGMAP_PREFIX, profileConfigMapName } from "@kubeedge-ts/contract";
import { bindSample, readSample, type SampleBinding } from "../../local/plant/index.js";

export const MAPPER_SAMPLE = fileURLToPath(
  new URL("../../samples/modbus-mapper-deployment.yaml", import.meta.url),
);

type Manifest = Record<string, unknown> & { kind: string };

interface Probe {
  httpGet?: { port: number | string };
}

interface Container {
  env?: { name: string; value?: string }[];
  ports?: { containerPort: number }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
}

interface PodTemplate {
  volumes?: { configMap?: { name: string } }[];
  containers: Container[];
}

export interface DeploymentBinding {
  node: string;
  mqttUrl: string;
  /** Where the mapper's HTTP server (MAPPER_HTTP_PORT, its probes) should listen instead. */
  mapperHttpPort?: number;
}

/** Moves a container's MAPPER_HTTP_PORT, with the container port and probes that use it. */
function moveHttpPort(c: Container, to: number): void {
  const env = c.env?.find(e => e.name === "MAPPER_HTTP_PORT" && e.value);
  if (!env) return;
  const from = Number(env.value);
  env.value = String(to);
  for (const p of c.ports ?? []) if (p.containerPort === from) p.containerPort = to;
  for (const probe of [c.livenessProbe, c.readinessProbe]) {
    if (probe?.httpGet && Number(probe.httpGet.port) === from) probe.httpGet.port = to;
  }
}

const BROKER_ENV = ["MAPPER_MQTT_URL", "MQTT_URL"];

/** Points a Deployment at the node's profile and broker (literal URLs, never Secret references). */
export function bindDeployment(m: Manifest, b: DeploymentBinding): Manifest {
  if (m.kind !== "Deployment") return m;
  const copy = structuredClone(m);
  const pod = (copy as unknown as { spec: { template: { spec: PodTemplate } } }).spec.template.spec;
  for (const v of pod.volumes ?? []) {
    if (v.configMap?.name.startsWith(PROFILE_CONFIGMAP_PREFIX)) {
      v.configMap.name = profileConfigMapName(b.node);
    }
  }
  for (const c of pod.containers) {
    for (const e of c.env ?? []) if (BROKER_ENV.includes(e.name) && e.value) e.value = b.mqttUrl;
    if (b.mapperHttpPort !== undefined) moveHttpPort(c, b.mapperHttpPort);
  }
  return copy;
}

export function readManifests(file: string): Manifest[] {
  return parseAllDocuments(readFileSync(file, "utf8"))
    .map(d => d.toJS() as Manifest | null)
    .filter((d): d is Manifest => d !== null);
}

export function demoManifests(binding: SampleBinding & DeploymentBinding): Manifest[] {
  const bind = (m: Manifest): Manifest => bindDeployment(m, binding);
  return [...bindSample(readSample(), binding), ...readManifests(MAPPER_SAMPLE)].map(bind);
}
