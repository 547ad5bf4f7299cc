/**
 * `kubeedge-ts init [--local]` and `kubeedge-ts reset`: what the cloud installs into a cluster —
 * CRDs, the edge-node RBAC and admission policies (rbac/), the namespace and store CRD Pepr
 * expects, the module (as pods from `pepr build` output, or only its identity for a local
 * process) — and the join token. Applies are server-side and
 * idempotent; reset removes the same list in reverse dependency order, webhooks first.
 */
import { readCrds, installCrds } from "../cloud-runner/crds.js";
import { RBAC_DIR, readManifests } from "../cloud-runner/manifests.js";
import { moduleName } from "../cloud-runner/module-runner.js";
import { PEPR_STORE_CRD_NAME, peprSystemObjects } from "../cloud-runner/pepr-system.js";
import { webhookConfigurationRefs } from "../cloud-runner/webhook-config.js";
import { isNotFound } from "../../capabilities/profiles/kube-client.js";
import { objectPath, type Kube, type ObjectRef } from "../kube/kube.js";
import { initToken } from "./init-token.js";
import { buildModuleManifest, deployModule, removeModuleWorkloads } from "./module-in-cluster.js";
import {
  installModuleIdentity,
  moduleIdentityRefs,
  moduleRbacOf,
} from "../cloud-runner/module-identity-install.js";

export interface InitOptions {
  ttlMs: number;
  server?: string;
  progress: (line: string) => void;
}

const describe = (objs: ObjectRef[]): string =>
  objs.map(o => `${o.kind}/${o.metadata?.name}`).join(", ");

/**
 * CRDs, Pepr's namespace and store CRD, the edge-node RBAC and policies: both modes' base.
 * `namespace` replaces ours when the module's manifest brings its own (with Pepr's label): two
 * applies of different Namespaces by one field manager would undo each other on every run.
 */
async function installBase(
  kube: Kube,
  progress: (line: string) => void,
  namespace?: ObjectRef,
): Promise<void> {
  const crds = readCrds();
  const peprSystem = peprSystemObjects().map(o =>
    o.kind === "Namespace" && namespace ? namespace : o,
  );
  const names = await installCrds(kube, [
    ...crds,
    ...peprSystem.filter(o => o.kind === "CustomResourceDefinition"),
  ]);
  progress(`CRDs: ${names.join(", ")}`);
  const rest = [
    ...peprSystem.filter(o => o.kind !== "CustomResourceDefinition"),
    ...readManifests(RBAC_DIR),
  ];
  for (const obj of rest) await kube.apply(obj);
  progress(`applied ${describe(rest)}`);
}

/** Installs everything but the module itself; returns the join line. */
export async function initLocal(kube: Kube, opts: InitOptions): Promise<string> {
  await installBase(kube, opts.progress);
  // The identity `cloud up` runs the module with: what `pepr build` generates in scoped mode.
  const identity = await installModuleIdentity(kube, await moduleRbacOf());
  opts.progress(`applied the module's scoped identity ${describe(identity)}`);
  return initToken(kube, opts.ttlMs, opts.server);
}

/**
 * Installs the base and the module as pods from `pepr build` output (its manifest carries the
 * same scoped identity initLocal applies); returns the join line once the pods serve.
 */
export async function initInCluster(kube: Kube, opts: InitOptions): Promise<string> {
  const manifest = await buildModuleManifest(opts.progress);
  await installBase(
    kube,
    opts.progress,
    manifest.find(o => o.kind === "Namespace"),
  );
  await deployModule(kube, manifest, opts);
  return initToken(kube, opts.ttlMs, opts.server);
}

const TOKENS = "/api/v1/namespaces/kube-system/secrets";

export async function resetCloud(
  kube: Kube,
  opts: { deleteCrds: boolean; progress: (line: string) => void },
): Promise<void> {
  // Webhooks first: a half-removed module must never block the cluster's writes.
  const webhooks = webhookConfigurationRefs(moduleName());
  for (const ref of webhooks) await kube.remove(ref);
  opts.progress(`removed ${describe(webhooks)}`);
  // The in-cluster module's pods, Services and Secrets (nothing to do after init --local).
  const workloads = await removeModuleWorkloads(kube, moduleName());
  opts.progress(`removed ${describe(workloads)}`);
  const identity = moduleIdentityRefs();
  for (const ref of identity) await kube.remove(ref);
  opts.progress(`removed ${describe(identity)}`);
  const rbac = readManifests(RBAC_DIR).reverse();
  for (const obj of rbac) await kube.remove(obj);
  opts.progress(`removed ${describe(rbac)}`);
  const tokens = await kube.client.list<{ metadata: { name: string } }>(
    TOKENS,
    "app.kubernetes.io/managed-by=kubeedge-ts",
  );
  for (const t of tokens) await kube.client.delete(`${TOKENS}/${t.metadata.name}`);
  opts.progress(`removed ${tokens.length} bootstrap token(s)`);
  const namespaces = peprSystemObjects().filter(o => o.kind === "Namespace");
  for (const ns of namespaces) await kube.remove(ns);
  // The namespace goes once its pods have stopped: "reset" means gone when the command ends.
  await waitUntilGone(kube, namespaces, NAMESPACE_DELETION_TIMEOUT_MS, opts.progress);
  opts.progress(`removed ${describe(namespaces)}`);
  if (!opts.deleteCrds) {
    opts.progress("kept the CRDs and every Device and DeviceModel (pass --delete-crds to remove)");
    return;
  }
  const crds = [
    ...readCrds(),
    ...peprSystemObjects().filter(o => o.metadata?.name === PEPR_STORE_CRD_NAME),
  ];
  for (const crd of crds) await kube.remove(crd);
  // The apiserver deletes a CRD only after its instances: return once they are really gone, so
  // "reset" means the cluster is as before when the command ends.
  await waitUntilGone(kube, crds, CRD_DELETION_TIMEOUT_MS, opts.progress);
  opts.progress(`removed ${describe(crds)} (and with them every Device and DeviceModel)`);
}

const CRD_DELETION_TIMEOUT_MS = 180_000;
const NAMESPACE_DELETION_TIMEOUT_MS = 180_000;

async function waitUntilGone(
  kube: Kube,
  refs: ObjectRef[],
  timeoutMs: number,
  progress: (line: string) => void,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let said = false;
  for (;;) {
    const left: string[] = [];
    for (const ref of refs) {
      const gone = await kube.client.get(objectPath(ref)).then(
        () => false,
        (err: unknown) => {
          if (isNotFound(err)) return true;
          throw err;
        },
      );
      if (!gone) left.push(`${ref.kind}/${ref.metadata?.name}`);
    }
    if (left.length === 0) return;
    if (Date.now() > deadline) throw new Error(`still being deleted: ${left.join(", ")}`);
    if (!said) progress(`waiting for the apiserver to finish deleting ${left.join(", ")}`);
    said = true;
    await new Promise(r => setTimeout(r, 500));
  }
}
