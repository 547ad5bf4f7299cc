/**
 * A real Kubernetes control plane on 127.0.0.1, started the way controller-runtime's envtest
 * does it: etcd → kube-apiserver → kube-controller-manager + kube-scheduler, with generated
 * certificates, Node+RBAC authorization and NodeRestriction. Edge agents are its nodes; with
 * `podReachable` it is also ready for a cloud worker node (local/worker) whose pods call it.
 */
import { execFile } from "node:child_process";
import { mkdirSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { COMPONENTS, type Component, layout } from "./layout.js";
import {
  apiserverCommand,
  controllerManagerCommand,
  etcdCommand,
  type PodReachableApiserver,
  schedulerCommand,
} from "./commands.js";
import { eventually, freePort, isPortFree } from "@kubeedge-ts/testkit";
import { get } from "./http.js";
import { renderKubeconfig } from "./kubeconfig.js";
import { adminTls, writeKubeconfig, writePki } from "./credentials.js";
import { type ControlPlaneState, mustState, type Ports, readState, writeState } from "./state.js";
import { PortInUseError } from "./ports.js";
import { applyBootstrapObjects } from "./bootstrap.js";
import { runningComponents, startDetached, startWatchdog, stopProcess } from "./processes.js";

export interface StartOptions {
  dir: string;
  binDir: string;
  apiserverPort?: number;
  etcdPort?: number;
  /** Stop everything and remove the folder when this process exits (tests). */
  ownerPid?: number;
  progress?: (line: string) => void;
  readyTimeoutMs?: number;
  /** Make the apiserver reachable from pods (a cloud worker node); off: loopback only. */
  podReachable?: PodReachableApiserver;
}

async function choosePort(requested: number | undefined, flag: string): Promise<number> {
  if (requested === undefined) return freePort();
  if (!(await isPortFree(requested))) throw new PortInUseError(requested, flag);
  return requested;
}

async function waitApiserverReady(state: ControlPlaneState, timeoutMs: number): Promise<void> {
  const tls = adminTls(state.dir);
  await eventually(
    "kube-apiserver /readyz",
    async () => (await get(`${state.server}/readyz`, tls)).status === 200,
    timeoutMs,
    200,
    () => `see ${layout(state.dir).logs}/kube-apiserver.log`,
  );
}

export async function startControlPlane(opts: StartOptions): Promise<ControlPlaneState> {
  const dir = resolve(opts.dir);
  const progress = opts.progress ?? (() => undefined);
  const timeoutMs = opts.readyTimeoutMs ?? 120_000;
  if (Object.keys(runningComponents(dir)).length > 0) {
    throw new Error(
      `a control plane is already running in ${dir}; run 'cluster down --dir ${dir}' first`,
    );
  }
  const ports: Ports = {
    apiserver: await choosePort(opts.apiserverPort, "--port"),
    etcd: await choosePort(opts.etcdPort, "--etcd-port"),
    etcdPeer: await freePort(),
    scheduler: await freePort(),
  };
  const t0 = Date.now();
  const l = layout(dir);
  mkdirSync(dir, { recursive: true });
  const { ca, admin } = writePki(dir, opts.podReachable ? [opts.podReachable.address] : []);
  writeFileSync(`${l.pki}/admin.crt`, admin.certPem);
  writeFileSync(`${l.pki}/admin.key`, admin.keyPem, { mode: 0o600 });
  const server = `https://127.0.0.1:${ports.apiserver}`;
  writeFileSync(
    l.adminKubeconfig,
    renderKubeconfig({
      server,
      caPem: ca.certPem,
      certPem: admin.certPem,
      keyPem: admin.keyPem,
      user: "admin",
    }),
    { mode: 0o600 },
  );
  writeKubeconfig(
    l.componentKubeconfig("controller-manager"),
    server,
    ca,
    "system:kube-controller-manager",
    [],
  );
  writeKubeconfig(l.componentKubeconfig("scheduler"), server, ca, "system:kube-scheduler", []);

  const state: ControlPlaneState = {
    dir,
    binDir: opts.binDir,
    server,
    ports,
    commands: {
      etcd: etcdCommand(opts.binDir, l, ports),
      "kube-apiserver": apiserverCommand(opts.binDir, l, ports, opts.podReachable),
      "kube-controller-manager": controllerManagerCommand(opts.binDir, l),
      "kube-scheduler": schedulerCommand(opts.binDir, l, ports),
    },
    startedAt: new Date(t0).toISOString(),
    readyMs: 0,
    identities: [],
  };
  writeState(state);
  if (opts.ownerPid) startWatchdog(dir, opts.ownerPid);
  try {
    await bringUp(state, progress, timeoutMs);
  } catch (err) {
    progress("start failed; stopping what was started");
    await stopControlPlane(dir, { removeState: false });
    throw err;
  }
  state.readyMs = Date.now() - t0;
  writeState(state);
  return state;
}

async function bringUp(
  state: ControlPlaneState,
  progress: (l: string) => void,
  timeoutMs: number,
): Promise<void> {
  const l = layout(state.dir);
  progress(`starting etcd on 127.0.0.1:${state.ports.etcd}`);
  startDetached(state.dir, "etcd", state.commands.etcd);
  await eventually(
    "etcd /health",
    async () => (await get(`http://127.0.0.1:${state.ports.etcd}/health`)).status === 200,
    timeoutMs,
    200,
    () => `see ${l.logs}/etcd.log`,
  );
  progress(`starting kube-apiserver on ${state.server}`);
  startDetached(state.dir, "kube-apiserver", state.commands["kube-apiserver"]);
  await waitApiserverReady(state, timeoutMs);
  progress("publishing cluster-info and the TLS bootstrap RBAC");
  await applyBootstrapObjects(l.adminKubeconfig, state.server, l.caCert);
  progress("starting kube-controller-manager and kube-scheduler");
  startDetached(state.dir, "kube-controller-manager", state.commands["kube-controller-manager"]);
  startDetached(state.dir, "kube-scheduler", state.commands["kube-scheduler"]);
  const tls = adminTls(state.dir);
  // Pods cannot be created before the service-account controller made `default/default`.
  await eventually(
    "the default ServiceAccount",
    async () =>
      (await get(`${state.server}/api/v1/namespaces/default/serviceaccounts/default`, tls))
        .status === 200,
    timeoutMs,
    200,
    () => `see ${l.logs}/kube-controller-manager.log`,
  );
}

export interface StopOptions {
  removeState?: boolean;
}

export async function stopControlPlane(dirIn: string, opts: StopOptions = {}): Promise<string[]> {
  const dir = resolve(dirIn);
  const stopped: string[] = [];
  for (const name of [...COMPONENTS].reverse()) {
    if (runningComponents(dir)[name] !== undefined) stopped.push(name);
    await stopProcess(dir, name);
  }
  if (opts.removeState ?? true) removeState(dir);
  return stopped;
}

/** Removes only what `startControlPlane` wrote, then the folder if nothing else is left in it. */
function removeState(dir: string): void {
  const l = layout(dir);
  const state = readState(dir);
  for (const node of state?.identities ?? []) rmSync(l.nodeKubeconfig(node), { force: true });
  for (const p of [l.pki, l.etcdData, l.logs, l.pids, l.adminKubeconfig, l.state]) {
    rmSync(p, { recursive: true, force: true });
  }
  try {
    rmdirSync(dir);
  } catch {
    // not empty: the user keeps their own files
  }
}

export async function stopApiServer(dir: string): Promise<void> {
  const state = readState(dir);
  if (state?.dockerContainer) return docker("pause", state.dockerContainer);
  await stopProcess(resolve(dir), "kube-apiserver");
}

function docker(verb: "pause" | "unpause", container: string): Promise<void> {
  return new Promise((ok, fail) =>
    execFile("docker", [verb, container], err => (err ? fail(err) : ok())),
  );
}

export async function startApiServer(dir: string, timeoutMs = 120_000): Promise<void> {
  const state = mustState(dir);
  if (state.dockerContainer) await docker("unpause", state.dockerContainer);
  else if (runningComponents(state.dir)["kube-apiserver"] === undefined) {
    startDetached(state.dir, "kube-apiserver", state.commands["kube-apiserver"]);
  }
  await waitApiserverReady(state, timeoutMs);
}

export interface ComponentStatus {
  name: Component;
  pid?: number;
  running: boolean;
}

export async function controlPlaneStatus(
  dirIn: string,
): Promise<{ state?: ControlPlaneState; components: ComponentStatus[]; ready: boolean }> {
  const dir = resolve(dirIn);
  const state = readState(dir);
  const running = runningComponents(dir);
  const components = COMPONENTS.map(name => ({
    name,
    pid: running[name],
    running: running[name] !== undefined,
  }));
  let ready = false;
  if (state && running["kube-apiserver"]) {
    ready = await get(`${state.server}/readyz`, adminTls(dir)).then(
      r => r.status === 200,
      () => false,
    );
  }
  return { state, components, ready };
}
