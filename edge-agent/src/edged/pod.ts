/**
 * The parts of core/v1 Pod that edged reads. Pods come from the local store as parsed JSON, so
 * nothing here is trusted: `parsePod` checks the shape edged relies on and names what is wrong.
 */

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    fieldRef?: { fieldPath: string };
  };
}

export interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}

export interface Probe {
  exec?: { command: string[] };
  httpGet?: { path?: string; port: number | string; host?: string; scheme?: string };
  tcpSocket?: { port: number | string; host?: string };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
}

export interface ContainerSpec {
  name: string;
  image: string;
  imagePullPolicy?: "Always" | "IfNotPresent" | "Never";
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  ports?: { containerPort: number; hostPort?: number; protocol?: string; name?: string }[];
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
  securityContext?: {
    privileged?: boolean;
    runAsUser?: number;
    runAsGroup?: number;
    capabilities?: { add?: string[]; drop?: string[] };
  };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
}

export interface KeyToPath {
  key: string;
  path: string;
}

export interface VolumeSpec {
  name: string;
  configMap?: { name: string; items?: KeyToPath[]; optional?: boolean };
  secret?: { secretName: string; items?: KeyToPath[]; optional?: boolean };
  emptyDir?: { medium?: string };
  hostPath?: { path: string; type?: string };
  projected?: { sources: ProjectedSource[] };
  [other: string]: unknown;
}

export interface ProjectedSource {
  configMap?: { name: string; items?: KeyToPath[]; optional?: boolean };
  secret?: { name: string; items?: KeyToPath[]; optional?: boolean };
  downwardAPI?: { items: { path: string; fieldRef?: { fieldPath: string } }[] };
  serviceAccountToken?: { path: string; audience?: string; expirationSeconds?: number };
}

export type RestartPolicy = "Always" | "OnFailure" | "Never";

export interface PodSpec {
  nodeName?: string;
  containers: ContainerSpec[];
  initContainers?: ContainerSpec[];
  volumes?: VolumeSpec[];
  restartPolicy?: RestartPolicy;
  terminationGracePeriodSeconds?: number;
  hostNetwork?: boolean;
  serviceAccountName?: string;
}

export interface Pod {
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    deletionTimestamp?: string;
    creationTimestamp?: string;
  };
  spec: PodSpec;
  status?: Record<string, unknown>;
}

/** `namespace/name`: how logs and maps name a pod. */
export const podKey = (pod: Pick<Pod, "metadata">): string =>
  `${pod.metadata.namespace}/${pod.metadata.name}`;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function containerProblem(c: unknown, where: string): string | undefined {
  if (!isObject(c)) return `${where} is not an object`;
  if (typeof c.name !== "string" || c.name === "") return `${where} has no name`;
  if (typeof c.image !== "string" || c.image === "") return `${where} (${c.name}) has no image`;
  for (const field of ["command", "args", "env", "envFrom", "ports", "volumeMounts"]) {
    if (c[field] !== undefined && !Array.isArray(c[field])) return `${where}.${field} not a list`;
  }
  return undefined;
}

/** The pod, or the reason edged cannot run it (a malformed object must not stop other pods). */
export function parsePod(raw: unknown): { pod: Pod } | { error: string } {
  if (!isObject(raw) || !isObject(raw.metadata)) return { error: "no metadata" };
  const { name, namespace, uid } = raw.metadata;
  if (typeof name !== "string" || typeof uid !== "string" || uid === "") {
    return { error: "metadata.name/uid missing" };
  }
  if (namespace !== undefined && typeof namespace !== "string") return { error: "bad namespace" };
  const spec = raw.spec;
  if (!isObject(spec)) return { error: "no spec" };
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) {
    return { error: "spec.containers is empty" };
  }
  if (spec.initContainers !== undefined && !Array.isArray(spec.initContainers)) {
    return { error: "spec.initContainers not a list" };
  }
  if (spec.volumes !== undefined && !Array.isArray(spec.volumes)) {
    return { error: "spec.volumes not a list" };
  }
  const problems = [
    ...spec.containers.map((c, i) => containerProblem(c, `spec.containers[${i}]`)),
    ...((spec.initContainers as unknown[]) ?? []).map((c, i) =>
      containerProblem(c, `spec.initContainers[${i}]`),
    ),
  ].filter(p => p !== undefined);
  if (problems.length > 0) return { error: problems.join("; ") };
  const metadata = { ...raw.metadata, namespace: namespace ?? "default" } as Pod["metadata"];
  return { pod: { ...(raw as unknown as Pod), metadata } };
}

/** What names a pod `parsePod` refused, as far as it can be read ("" where it cannot). */
export function malformedPodRef(raw: unknown) {
  const meta = isObject(raw) && isObject(raw.metadata) ? raw.metadata : {};
  const text = (v: unknown): string => (typeof v === "string" ? v : "");
  return {
    name: text(meta.name),
    namespace: text(meta.namespace) || "default",
    uid: text(meta.uid),
    resourceVersion: text(meta.resourceVersion),
  };
}
