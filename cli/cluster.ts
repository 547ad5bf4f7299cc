/**
 * `kubeedge-ts cluster up|down|status|node-identity|stop-apiserver|start-apiserver`: the local
 * control plane, and with `up --with-worker` a cloud worker node (kubelet + kube-proxy) beside it.
 */
import type { Command } from "commander";
import { allowEdgeNode } from "../local/cloud-runner/edge-node-grants.js";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  controlPlaneStatus,
  ensureBinaries,
  mintNodeIdentity,
  startApiServer,
  stopApiServer,
} from "../local/control-plane/index.js";
import { startCluster, stopCluster, workerStatus } from "../local/worker/index.js";

export const DEFAULT_CLUSTER_DIR = join(tmpdir(), "kubeedge-ts", "cluster");

const say = (line: string): void => console.log(`[cluster] ${line}`);

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`'${value}' is not a TCP port (1-65535)`);
  }
  return port;
}

interface UpOptions {
  dir: string;
  port?: number;
  etcdPort?: number;
  withWorker?: boolean;
}

async function up(opts: UpOptions): Promise<void> {
  const t0 = Date.now();
  const binDir = await ensureBinaries(say);
  const state = await startCluster({
    dir: opts.dir,
    binDir,
    apiserverPort: opts.port,
    etcdPort: opts.etcdPort,
    withWorker: opts.withWorker,
    progress: say,
  });
  say(
    `ready in ${(state.readyMs / 1000).toFixed(1)}s (start to ready; ${((Date.now() - t0) / 1000).toFixed(1)}s in all)`,
  );
  say(`apiserver: ${state.server}`);
  if (state.worker) {
    say(
      `worker node: ${state.worker.nodeName} (${state.worker.address}, pods on ${state.worker.podSubnet})`,
    );
    say(`worker containerd: ${state.worker.containerdEndpoint}`);
  }
  console.log(`export KUBECONFIG=${join(state.dir, "admin.kubeconfig")}`);
  say(`kubectl: ${join(binDir, "kubectl")}`);
}

/**
 * Allow-lists the node when the cluster runs; says how to do it later when it does not. Notes go
 * to stderr: stdout stays the kubeconfig path alone, for scripts.
 */
async function grantEdgeRole(dir: string, name: string): Promise<void> {
  const s = await controlPlaneStatus(dir);
  if (!s.state || !s.ready) {
    console.error(
      `[cluster] not running: ${name} is not on the edge node allow-list yet (run this again)`,
    );
    return;
  }
  await allowEdgeNode(
    join(s.state.dir, "admin.kubeconfig"),
    name,
    "kubeedge-ts cluster node-identity",
  );
  console.error(`[cluster] ${name} is on the edge node allow-list`);
}

export function registerClusterCommands(program: Command): void {
  const cluster = program
    .command("cluster")
    .description("a real local Kubernetes control plane on 127.0.0.1");
  const dirOption = [
    "--dir <dir>",
    "state folder of the control plane",
    DEFAULT_CLUSTER_DIR,
  ] as const;

  cluster
    .command("up")
    .description(
      "build (first time) and start etcd, kube-apiserver, controller-manager and scheduler",
    )
    .option(...dirOption)
    .option("--port <port>", "kube-apiserver secure port (default: a free port)", parsePort)
    .option("--apiserver-port <port>", "alias of --port", parsePort)
    .option("--etcd-port <port>", "etcd client port (default: a free port)", parsePort)
    .option(
      "--with-worker",
      "also start a cloud worker node (kubelet + kube-proxy on a containerd of its own) that " +
        "runs ordinary pods; the apiserver then also listens on this machine's address",
    )
    .action(async (o: UpOptions & { apiserverPort?: number }) =>
      up({
        dir: resolve(o.dir),
        port: o.port ?? o.apiserverPort,
        etcdPort: o.etcdPort,
        withWorker: o.withWorker,
      }),
    );

  cluster
    .command("down")
    .description("stop the processes 'up' started (the worker node too) and remove its state")
    .option(...dirOption)
    .action(async (o: { dir: string }) => {
      const stopped = await stopCluster(resolve(o.dir), say);
      say(stopped.length ? `stopped ${stopped.join(", ")}` : "nothing was running");
    });

  cluster
    .command("status")
    .description("show which components run and whether the apiserver is ready")
    .option(...dirOption)
    .action(async (o: { dir: string }) => {
      const s = await controlPlaneStatus(resolve(o.dir));
      if (!s.state) {
        say(`no control plane in ${resolve(o.dir)}`);
        process.exitCode = 1;
        return;
      }
      for (const c of s.components)
        say(`${c.name.padEnd(24)} ${c.running ? `running (pid ${c.pid})` : "stopped"}`);
      say(`apiserver ${s.state.server} ${s.ready ? "ready" : "NOT ready"}`);
      const worker = await workerStatus(s.state);
      if (worker) {
        for (const p of worker.processes)
          say(`${p.name.padEnd(24)} ${p.pid ? `running (pid ${p.pid})` : "stopped"}`);
        say(`worker node ${worker.nodeName} ${worker.ready ? "Ready" : "NOT Ready"}`);
        if (!worker.ready) process.exitCode = 1;
      }
      say(`kubeconfig ${join(s.state.dir, "admin.kubeconfig")}`);
      if (!s.ready) process.exitCode = 1;
    });

  // The cloud going away, as edge nodes see it: etcd and the controllers stay, the apiserver goes.
  cluster
    .command("stop-apiserver")
    .description("stop the apiserver only: edge agents lose the cloud until start-apiserver")
    .option(...dirOption)
    .action(async (o: { dir: string }) => {
      await stopApiServer(resolve(o.dir));
      say("apiserver stopped");
    });

  cluster
    .command("start-apiserver")
    .description("start the apiserver stop-apiserver stopped, and wait until it is ready")
    .option(...dirOption)
    .action(async (o: { dir: string }) => {
      await startApiServer(resolve(o.dir));
      say("apiserver ready");
    });

  cluster
    .command("node-identity <name>")
    .description(
      "write <dir>/<name>.kubeconfig for system:node:<name> (group system:nodes) and allow-list " +
        "the node for the edge role",
    )
    .option(...dirOption)
    .option("--no-edge-role", "do not put the node on the edge node allow-list")
    .action(async (name: string, o: { dir: string; edgeRole: boolean }) => {
      const dir = resolve(o.dir);
      const kubeconfig = mintNodeIdentity(dir, name);
      if (o.edgeRole) await grantEdgeRole(dir, name);
      console.log(kubeconfig);
    });
}
