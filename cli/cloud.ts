/**
 * `kubeedge-ts cloud up|down`: the cloud half (CRDs, RBAC and the Pepr module) against any
 * cluster, for development and the demo. The module runs as a local process; its webhooks point
 * at https://<host>:<port> on this machine, so the apiserver must be able to reach it.
 */
import type { Command } from "commander";
import { resolve } from "node:path";
import { installCrds, readCrds } from "../local/cloud-runner/crds.js";
import { loadKube, objectPath, type Kube } from "../local/kube/kube.js";
import { isNotFound } from "../capabilities/profiles/kube-client.js";
import { moduleIdentityRefs } from "../local/cloud-runner/module-identity-install.js";
import { RBAC_DIR, readManifests } from "../local/cloud-runner/manifests.js";
import { moduleName, REPO_ROOT, startModule } from "../local/cloud-runner/module-runner.js";
import { webhookConfigurationRefs } from "../local/cloud-runner/webhook-config.js";

const say = (line: string): void => console.log(`[cloud] ${line}`);

interface UpOptions {
  kubeconfig: string;
  host: string;
  port?: string;
  entry: string;
}

async function installPrerequisites(kube: Kube): Promise<void> {
  const crds = readCrds();
  if (crds.length === 0) throw new Error(`no CustomResourceDefinition found in ${REPO_ROOT}/crds`);
  const names = await installCrds(kube, crds);
  say(`CRDs installed: ${names.join(", ")}`);
  const rbac = readManifests(RBAC_DIR);
  for (const obj of rbac) await kube.apply(obj);
  say(`RBAC installed: ${rbac.map(o => `${o.kind}/${o.metadata?.name}`).join(", ")}`);
}

/** The module is supervised (started again whenever it ends), so only a signal ends `up`. */
function untilSignal(): Promise<string> {
  return new Promise(res => {
    const on = (sig: string) => (): void => res(sig);
    process.once("SIGINT", on("SIGINT"));
    process.once("SIGTERM", on("SIGTERM"));
  });
}

/**
 * The module runs as its ServiceAccount when `kubeedge-ts init` installed it (its scoped
 * ClusterRole, as in a cluster), else with the kubeconfig's own user.
 */
async function moduleIdentity(kube: Kube): Promise<"service-account" | "admin"> {
  const account = moduleIdentityRefs().find(o => o.kind === "ServiceAccount")!;
  const installed = await kube.client.get(objectPath(account)).then(
    () => true,
    (err: unknown) => {
      if (isNotFound(err)) return false;
      throw err;
    },
  );
  if (installed)
    say(
      `the module runs as ServiceAccount ${account.metadata?.namespace}/${account.metadata?.name}`,
    );
  else
    say(
      "no module ServiceAccount (kubeedge-ts init installs it): the module runs as the kubeconfig's user",
    );
  return installed ? "service-account" : "admin";
}

async function up(opts: UpOptions): Promise<void> {
  const kubeconfig = resolve(opts.kubeconfig);
  const kube = loadKube(kubeconfig);
  let identity: "service-account" | "admin";
  try {
    await installPrerequisites(kube);
    identity = await moduleIdentity(kube);
  } finally {
    kube.close();
  }
  const t0 = Date.now();
  const module = await startModule({
    kubeconfig,
    host: opts.host,
    port: opts.port ? Number(opts.port) : undefined,
    entry: opts.entry,
    logTo: "inherit",
    identity,
  });
  say(`module ${module.name} ready in ${Date.now() - t0} ms, webhooks at ${module.url}`);
  say("running until interrupted (Ctrl+C)");
  const why = await untilSignal();
  say(`${why}: removing webhook configurations and stopping`);
  await module.stop();
  say("stopped; webhook configurations removed");
}

async function down(opts: { kubeconfig: string }): Promise<void> {
  const kube = loadKube(resolve(opts.kubeconfig));
  try {
    for (const ref of webhookConfigurationRefs(moduleName())) await kube.remove(ref);
    say("webhook configurations removed");
  } finally {
    kube.close();
  }
}

export function registerCloudCommands(program: Command): void {
  const cloud = program
    .command("cloud")
    .description("the cloud module (CRDs, RBAC, Pepr admission and reconcilers) on a cluster");
  cloud
    .command("up")
    .description(
      "install CRDs and RBAC, run the module locally until interrupted, then remove its webhooks",
    )
    .requiredOption("--kubeconfig <path>", "kubeconfig of the target cluster")
    .option("--host <address>", "address the apiserver uses to reach the webhooks", "127.0.0.1")
    .option("--port <port>", "webhook port (default: a free port)")
    .option("--entry <file>", "module entry or built bundle", "pepr.ts")
    .action(up);
  cloud
    .command("down")
    .description("remove the module's webhook configurations (after a crashed `cloud up`)")
    .requiredOption("--kubeconfig <path>", "kubeconfig of the target cluster")
    .action(down);
}
