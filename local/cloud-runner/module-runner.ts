/**
 * Runs the Pepr module as a local Node process against any cluster whose apiserver can reach
 * this machine (the e2e control plane, a developer's cluster via `kubeedge-ts cloud up`).
 *
 * Why not `pepr dev`: it hard-codes the webhook port 3000, prompts, rebuilds with tsc and
 * leaves webhooks behind when killed. Here: esbuild bundle (~0.2 s), the bundle runs in Pepr's
 * "dev" mode (admission and watches in one process), webhooks on https://<host>:<free port>
 * with a fresh serving certificate, and stop() removes the webhook configurations first and
 * then the process, so the cluster never points at a dead webhook longer than necessary.
 */
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@kubeedge-ts/testkit";
import { loadKube, type Kube, type ObjectRef } from "../kube/kube.js";
import {
  moduleServiceAccountKubeconfig,
  type ServiceAccountKubeconfig,
} from "./module-identity.js";
import { bundleModule, loadCapabilities } from "./module-bundle.js";
import { peprStoreObjects, peprSystemObjects, PEPR_STORE_CRD_NAME } from "./pepr-system.js";
import { writeServingCert } from "./serving-cert.js";
import { waitForHealthz } from "./healthz.js";
import { noteRestart, type Spawned, spawnModule, stopProcess } from "./module-process.js";
import { Supervisor } from "./supervisor.js";
import { PROBE_LABEL, waitForWebhooksLive } from "./webhook-probe.js";
import {
  webhookConfigurationRefs,
  webhookConfigurations,
  type ExportedCapability,
  type WebhookTarget,
} from "./webhook-config.js";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Namespaces whose objects never go through the module's webhooks (Pepr's own defaults). */
const ALWAYS_IGNORED = ["kube-system", "pepr-system"];

export interface ModuleRunnerOptions {
  kubeconfig: string;
  /** Folder with the module's package.json (its "pepr" block) and entry. Default: this repo. */
  root?: string;
  /** `pepr.ts` by default; a .js/.cjs/.mjs file (e.g. `pepr build` output) runs as is. */
  entry?: string;
  /** Address the apiserver uses to call the webhooks; the serving cert carries it as a SAN. */
  host?: string;
  port?: number;
  /**
   * Start the module process again whenever it ends, with a back-off, as its Deployment would in
   * a cluster (default). False leaves a crashed module down, for tests of that.
   */
  restart?: boolean;
  /** Where the module's logs go: a file (default, under the state dir) or this process' stdio. */
  logTo?: "file" | "inherit";
  env?: Record<string, string>;
  /** Node flags for the module process, e.g. ["--cpu-prof"] (never inherited from this process). */
  nodeArgs?: string[];
  startTimeoutMs?: number;
  /**
   * Who the module process is: "admin" (the kubeconfig's user, the default) or "service-account"
   * (the module's ServiceAccount `pepr-<uuid>` in pepr-system with a TokenRequest token, as in a
   * cluster; `kubeedge-ts init` installs it and its scoped ClusterRole). Either way the runner
   * itself registers the webhooks with `kubeconfig`, as `pepr deploy` does with the admin's.
   */
  identity?: "admin" | "service-account";
}

export interface RunningModule {
  name: string;
  url: string;
  /** The module process running now: a restart gives a new one. */
  readonly pid: number;
  /** How often the module process has been started again after it ended. */
  readonly restarts: number;
  logFile?: string;
  capabilities: ExportedCapability[];
  /**
   * Resolves with the exit code when the module is gone for good: after stop(), or when its
   * process ends and `restart` is off.
   */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

interface PeprPackage {
  pepr: {
    uuid: string;
    onError?: string;
    webhookTimeout?: number;
    alwaysIgnore?: { namespaces?: string[] };
  };
}

function readPackage(root: string): PeprPackage {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as PeprPackage;
  if (!pkg.pepr?.uuid) throw new Error(`${root}/package.json has no "pepr.uuid"`);
  return pkg;
}

async function prepareCluster(kube: Kube): Promise<void> {
  for (const obj of peprSystemObjects()) await kube.apply(obj);
  await kube.waitForCrd(PEPR_STORE_CRD_NAME);
}

async function modulePathFor(root: string, entry: string): Promise<string> {
  return extname(entry) === ".ts" ? bundleModule(root, entry) : entry;
}

function tail(file: string | undefined): string {
  if (!file) return "";
  try {
    return readFileSync(file, "utf8").slice(-3000);
  } catch {
    return "";
  }
}

/** `pepr-<uuid>`: the name of the module's webhook configurations and stores. */
export function moduleName(root = REPO_ROOT): string {
  return `pepr-${readPackage(root).pepr.uuid}`;
}

interface Launch {
  name: string;
  kube: Kube;
  stateDir: string;
  modulePath: string;
  /** True when modulePath is our temporary bundle (deleted on stop). */
  bundled: boolean;
  processes: Supervisor<Spawned>;
  /** The ServiceAccount kubeconfig whose token is kept fresh, when the module runs as it. */
  identity?: ServiceAccountKubeconfig;
}

function moduleEnv(
  opts: ModuleRunnerOptions,
  kubeconfig: string,
  port: number,
  apiPath: string,
  cert: { certPath: string; keyPath: string },
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    KUBECONFIG: resolve(kubeconfig),
    PEPR_MODE: "dev",
    PEPR_API_PATH: apiPath,
    SSL_CERT_PATH: cert.certPath,
    SSL_KEY_PATH: cert.keyPath,
    KUBEEDGE_TS_WEBHOOK_PORT: String(port),
    LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
    // Pepr's watch gives up, and the process throws, after PEPR_RESYNC_FAILURE_MAX failures
    // PEPR_RESYNC_DELAY_SECONDS apart (5 × 5 s), for its Deployment to restart it. The Supervisor
    // restarts this process on any exit too, but a restart during an apiserver outage only
    // fails again at start: it keeps retrying its watches through the outage instead.
    PEPR_RESYNC_FAILURE_MAX: process.env.PEPR_RESYNC_FAILURE_MAX ?? "1000000",
    ...opts.env,
  };
}

/** Webhooks first (so the apiserver stops calling), then the process, stores and files. */
function stopper(launch: Launch): () => Promise<void> {
  const { kube, name, processes } = launch;
  // If this process dies without stop(), do not leave the module running.
  const killOnExit = (): void => void processes.current.child.kill("SIGKILL");
  process.once("exit", killOnExit);
  let stopped = false;
  return async () => {
    if (stopped) return;
    stopped = true;
    const errors: unknown[] = [];
    const remove = (ref: ObjectRef): Promise<unknown> =>
      kube.remove(ref).catch(e => errors.push(e));
    for (const ref of webhookConfigurationRefs(name)) await remove(ref);
    await processes.stop(p => stopProcess(p));
    launch.identity?.stop();
    process.removeListener("exit", killOnExit);
    for (const store of peprStoreObjects(name)) await remove(store);
    rmSync(launch.stateDir, { recursive: true, force: true });
    if (launch.bundled) rmSync(launch.modulePath, { force: true });
    kube.close();
    if (errors.length > 0) {
      throw new Error("stopping the module left objects behind", { cause: errors[0] });
    }
  };
}

function webhookTarget(
  pkg: PeprPackage,
  name: string,
  url: string,
  apiPath: string,
  caPem: string,
): WebhookTarget {
  return {
    name,
    baseUrl: url,
    apiPath,
    caPem,
    failurePolicy: pkg.pepr.onError === "reject" ? "Fail" : "Ignore",
    timeoutSeconds: pkg.pepr.webhookTimeout ?? 10,
    ignoredNamespaces: [...ALWAYS_IGNORED, ...(pkg.pepr.alwaysIgnore?.namespaces ?? [])],
  };
}

/** Applies the configurations with a probe webhook, waits until live, then drops the probe. */
async function registerWebhooks(
  kube: Kube,
  caps: ExportedCapability[],
  target: WebhookTarget,
): Promise<void> {
  const probed = webhookConfigurations(caps, { ...target, probeLabel: PROBE_LABEL });
  for (const config of probed) await kube.apply(config);
  const kinds = probed.map(c =>
    c.kind === "MutatingWebhookConfiguration" ? "mutate" : "validate",
  );
  await waitForWebhooksLive(kube, kinds);
  // The same configurations without the probe webhook (server-side apply drops it).
  for (const config of webhookConfigurations(caps, target)) await kube.apply(config);
}

/** Keeps the whole log (the state dir goes with stop()) and says where it is. */
function startFailure(err: unknown, logFile: string | undefined, pid: number | undefined): Error {
  const log = tail(logFile);
  const kept = logFile ? join(tmpdir(), `kubeedge-ts-module-failed-${pid}.log`) : undefined;
  if (logFile && kept) copyFileSync(logFile, kept);
  const where = kept ? ` (full log: ${kept})` : "";
  return new Error(`the module did not start${where}${log ? `; its log ends:\n${log}` : ""}`, {
    cause: err,
  });
}

export async function startModule(opts: ModuleRunnerOptions): Promise<RunningModule> {
  const root = opts.root ?? REPO_ROOT;
  const pkg = readPackage(root);
  const name = `pepr-${pkg.pepr.uuid}`;
  const host = opts.host ?? "127.0.0.1";
  const stateDir = mkdtempSync(join(tmpdir(), "kubeedge-ts-module-"));
  const kube = loadKube(opts.kubeconfig);
  const entry = resolve(root, opts.entry ?? "pepr.ts");
  const [modulePath, port] = await Promise.all([
    modulePathFor(root, entry),
    opts.port ?? freePort(),
    prepareCluster(kube),
  ]);
  const cert = writeServingCert(join(stateDir, "tls"), host);
  const apiPath = randomBytes(32).toString("hex");
  const logFile = opts.logTo === "inherit" ? undefined : join(stateDir, "module.log");
  const identity =
    opts.identity === "service-account"
      ? await moduleServiceAccountKubeconfig(kube, opts.kubeconfig, name, stateDir, logFile)
      : undefined;
  const env = moduleEnv(opts, identity?.file ?? opts.kubeconfig, port, apiPath, cert);
  const processes = new Supervisor({
    spawn: () => spawnModule(modulePath, env, logFile, opts.nodeArgs ?? []),
    restart: opts.restart ?? true,
    onRestart: r => noteRestart(logFile, r),
  });
  const first = processes.current;
  const stop = stopper({
    name,
    kube,
    stateDir,
    modulePath,
    bundled: modulePath !== entry,
    processes,
    identity,
  });
  try {
    const url = `https://${host}:${port}`;
    const healthz = `https://127.0.0.1:${port}/healthz`;
    const [capabilities] = await Promise.all([
      loadCapabilities(modulePath),
      waitForHealthz(healthz, cert.caPem, first.exited, opts.startTimeoutMs ?? 60_000),
    ]);
    await registerWebhooks(kube, capabilities, webhookTarget(pkg, name, url, apiPath, cert.caPem));
    return {
      name,
      url,
      get pid() {
        return processes.current.pid ?? -1;
      },
      get restarts() {
        return processes.restarts;
      },
      logFile,
      capabilities,
      exited: processes.finished,
      stop,
    };
  } catch (err) {
    const failure = startFailure(err, logFile, first.pid);
    await stop().catch(() => undefined);
    throw failure;
  }
}
