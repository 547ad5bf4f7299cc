/**
 * `kubeedge-ts init` without --local: the module runs as pods, deployed from `pepr build`'s
 * manifest as `pepr deploy` would (scoped RBAC, admission and watcher Deployments, their
 * Services and Secrets), with the webhooks narrowed like the local runner's
 * (narrow-build-output.ts). The webhook configurations go in only once both Deployments are
 * Available: with failurePolicy Fail, webhooks pointing at pods that do not serve yet would
 * refuse every Device and Pod write meanwhile. Then a dry-run Device proves the pods answer.
 */
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { narrowBuildOutput } from "../cloud-runner/narrow-build-output.js";
import { peprBuild } from "../cloud-runner/pepr-build.js";
import { type Kube, type ObjectRef } from "../kube/kube.js";
import { waitForDeployments } from "./deployment-ready.js";

const WEBHOOK_KINDS = new Set(["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"]);
export const PEPR_NAMESPACE = "pepr-system";
const READY_TIMEOUT_MS = 300_000;

const isWebhookConfiguration = (o: ObjectRef): boolean => WEBHOOK_KINDS.has(o.kind ?? "");

/** The objects of `pepr build`'s manifest, webhooks narrowed, in the order to apply them. */
export function moduleManifestObjects(manifestYaml: string): ObjectRef[] {
  const objects = parseAllDocuments(narrowBuildOutput(manifestYaml))
    .map(d => d.toJS() as ObjectRef | null)
    .filter((o): o is ObjectRef => o !== null);
  return [
    ...objects.filter(o => !isWebhookConfiguration(o)),
    ...objects.filter(isWebhookConfiguration),
  ];
}

/**
 * What `pepr build` names for module `name` besides its identity (module-identity-install.ts)
 * and the webhooks (webhook-config.ts), in the order to remove it: reset needs no build.
 */
export function inClusterModuleRefs(name: string): ObjectRef[] {
  const ns = (kind: string, n: string, apiVersion = "v1"): ObjectRef => ({
    apiVersion,
    kind,
    metadata: { name: n, namespace: PEPR_NAMESPACE },
  });
  return [
    ns("Deployment", name, "apps/v1"),
    ns("Deployment", `${name}-watcher`, "apps/v1"),
    ns("Service", name),
    ns("Service", `${name}-watcher`),
    ns("Secret", `${name}-api-path`),
    ns("Secret", `${name}-tls`),
    ns("Secret", `${name}-module`),
    ns("RoleBinding", `${name}-store`, "rbac.authorization.k8s.io/v1"),
    ns("Role", `${name}-store`, "rbac.authorization.k8s.io/v1"),
  ];
}

/** The dry-run write whose refusal proves a module pod serves admission. */
const PROBE_MODEL = "kubeedge-ts-admission-probe-no-such-model";
const ADMISSION_PROBE_MESSAGE = `spec.deviceModelRef.name: "${PROBE_MODEL}" names no DeviceModel`;
const probeDevice = {
  apiVersion: "devices.kubeedge.io/v1alpha2",
  kind: "Device",
  metadata: { name: "kubeedge-ts-admission-probe", namespace: "default" },
  spec: {
    deviceModelRef: { name: PROBE_MODEL },
    protocol: { modbus: { slaveID: 1 }, common: { tcp: { ip: "127.0.0.1", port: 502 } } },
  },
};

/** Whether an apiserver error is the module's refusal (it quotes the Status JSON, escaped). */
export const isProbeRefusal = (error: string): boolean =>
  error.replaceAll('\\"', '"').includes(ADMISSION_PROBE_MESSAGE);

/** The module's answer to the probe, or the apiserver's error while no pod answers yet. */
async function admissionAnswer(kube: Kube): Promise<string> {
  try {
    await kube.client.create(
      "/apis/devices.kubeedge.io/v1alpha2/namespaces/default/devices?dryRun=All",
      probeDevice,
    );
    return "the probe Device was admitted";
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

async function waitForAdmission(kube: Kube, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    last = await admissionAnswer(kube);
    if (isProbeRefusal(last)) return;
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`the module's admission webhook did not answer in ${timeoutMs} ms: ${last}`);
}

export interface InClusterOptions {
  progress: (line: string) => void;
  timeoutMs?: number;
}

/** `pepr build`'s manifest (built now when a module source changed), ready to deploy. */
export async function buildModuleManifest(progress: (line: string) => void): Promise<ObjectRef[]> {
  const build = await peprBuild(progress);
  if (!build.built) progress(`pepr build output (cached): ${build.manifestFile}`);
  return moduleManifestObjects(readFileSync(build.manifestFile, "utf8"));
}

/** Applies the manifest and returns once the module's pods serve admission. */
export async function deployModule(
  kube: Kube,
  objects: ObjectRef[],
  opts: InClusterOptions,
): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? READY_TIMEOUT_MS;
  const workloads = objects.filter(o => !isWebhookConfiguration(o));
  for (const obj of workloads) await kube.apply(obj);
  opts.progress(`applied ${workloads.length} objects of the module's manifest`);
  const deployments = workloads.filter(o => o.kind === "Deployment");
  await waitForDeployments(kube, deployments, timeoutMs, opts.progress);
  for (const obj of objects.filter(isWebhookConfiguration)) await kube.apply(obj);
  opts.progress("applied the webhook configurations; waiting for a module pod to answer");
  await waitForAdmission(kube, timeoutMs);
  opts.progress("the module's pods serve admission");
}

/** Removes the in-cluster module's workloads (webhooks and identity are the caller's). */
export async function removeModuleWorkloads(kube: Kube, name: string): Promise<ObjectRef[]> {
  const refs = inClusterModuleRefs(name);
  for (const ref of refs) await kube.remove(ref);
  return refs;
}
