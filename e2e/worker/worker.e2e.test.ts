/**
 * `cluster up --with-worker` on a cluster of its own (not the suite's shared control plane):
 * a real kubelet and kube-proxy run a Deployment whose pod calls the apiserver through the
 * `kubernetes` Service, `kubectl logs` reads it, and `cluster down` leaves the host as it was;
 * owned by a test run (startCluster with ownerPid), the worker goes with the run. The tests
 * share this file because only one worker runs per machine.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { eventually, processesMentioning, runToEnd, type RunResult } from "@kubeedge-ts/testkit";
import { readState, type WorkerState } from "../../local/control-plane/index.js";
import { runKubectl } from "../../local/kube/kubectl.js";
import {
  readSysctls,
  releaseWorkerSlot,
  reserveWorkerSlot,
  workerSlotHolder,
} from "../../local/worker/index.js";
import { testCluster } from "../harness.js";
import { workerLeftovers } from "./host-left-as-it-was.js";

const FIXTURE = join(
  dirname(fileURLToPath(import.meta.url)),
  "fixtures",
  "start-worker-and-hang.ts",
);
const CLI = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "bin", "kubeedge-ts.mjs");
const binDir = (): string => testCluster().binDir;

const cli = (args: string[]): Promise<RunResult> =>
  runToEnd(process.execPath, [CLI, ...args], {
    env: { ...process.env, KUBEEDGE_TS_BIN_DIR: binDir() },
  });

/**
 * Every 2 s the pod asks the apiserver for its version at the `kubernetes` Service's address
 * (the env kubelet sets), with its ServiceAccount token: only a working Service rule
 * (kube-proxy), a registered endpoint and a reachable apiserver address give this answer. A
 * bare TCP connect would prove nothing here: this machine's egress answers TCP on any address.
 * (busybox wget's own -T crashes with TLS, hence `timeout`.) Beside it a web server behind a
 * Service, which the apiserver reaches at the pod's address, as it calls webhooks served by
 * pods (--enable-aggregator-routing).
 */
const probeDeployment = (nodeName: string): string => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: service-probe, namespace: default }
spec:
  replicas: 1
  selector: { matchLabels: { app: service-probe } }
  template:
    metadata: { labels: { app: service-probe } }
    spec:
      nodeSelector: { kubernetes.io/hostname: ${nodeName} }
      terminationGracePeriodSeconds: 1
      containers:
        - name: probe
          image: docker.io/kubeedge-ts/busybox:1.36
          imagePullPolicy: Never
          command:
            - sh
            - -c
            - |
              token=$(cat /var/run/secrets/kubernetes.io/serviceaccount/token)
              while true; do
                out=$(timeout 5 wget -q -O- --no-check-certificate --header "Authorization: Bearer $token" \\
                  "https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT/version" 2>&1)
                echo "kubernetes service: $(echo "$out" | grep -o '"gitVersion": *"[^"]*"' || echo "failed: $out")"
                sleep 2
              done
        - name: web
          image: docker.io/kubeedge-ts/busybox:1.36
          imagePullPolicy: Never
          command:
            - sh
            - -c
            - mkdir -p /www && echo "served by $HOSTNAME" > /www/index.html && exec httpd -f -p 8080 -h /www
---
apiVersion: v1
kind: Service
metadata: { name: service-probe, namespace: default }
spec:
  selector: { app: service-probe }
  ports: [{ port: 80, targetPort: 8080 }]
`;

describe("kubeedge-ts cluster up --with-worker", () => {
  it("runs a pod on the worker that reaches the apiserver through the kubernetes Service, and down leaves the host as it was", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kubeedge-ts-worker-"));
    // One worker per machine: wait for another test's worker to go, and keep the slot for ours.
    await reserveWorkerSlot(dir, 480_000);
    const sysctlsBefore = readSysctls();
    let worker: WorkerState | undefined;
    try {
      const up = await cli(["cluster", "up", "--with-worker", "--dir", dir]);
      expect(up.code, up.stderr + up.stdout).toBe(0);
      worker = readState(dir)?.worker;
      if (!worker) throw new Error(`no worker in the state after up:\n${up.stdout}`);
      expect(up.stdout).toContain(`worker node: ${worker.nodeName}`);
      expect(existsSync(worker.containerdSocket)).toBe(true);

      const status = await cli(["cluster", "status", "--dir", dir]);
      expect(status.code, status.stdout).toBe(0);
      expect(status.stdout).toMatch(/kubelet\s+running/);
      expect(status.stdout).toMatch(/kube-proxy\s+running/);
      expect(status.stdout).toMatch(/containerd \(worker\)\s+running/);
      expect(status.stdout).toContain(`worker node ${worker.nodeName} Ready`);

      // A second worker on the machine is refused before anything of it starts.
      const second = mkdtempSync(join(tmpdir(), "kubeedge-ts-worker-second-"));
      const refused = await cli(["cluster", "up", "--with-worker", "--dir", second]);
      rmSync(second, { recursive: true, force: true });
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain(
        `another cluster's worker node runs on this machine (${dir})`,
      );
      expect(processesMentioning(second)).toEqual([]);

      const kubeconfig = join(dir, "admin.kubeconfig");
      const kubectl = (args: string[], input?: string): Promise<RunResult> =>
        runKubectl(binDir(), kubeconfig, args, input);
      const apply = await kubectl(["apply", "-f", "-"], probeDeployment(worker.nodeName));
      expect(apply.code, apply.stderr).toBe(0);
      const rollout = await kubectl([
        "rollout",
        "status",
        "deployment/service-probe",
        "--timeout=120s",
      ]);
      expect(rollout.code, rollout.stderr).toBe(0);

      let lastLogs = "";
      const logs = await eventually(
        "the pod's call through the kubernetes Service in its logs",
        async () => {
          const r = await kubectl(["logs", "deployment/service-probe", "-c", "probe"]);
          lastLogs = r.stdout + r.stderr;
          return r.code === 0 && r.stdout.includes('"gitVersion"') ? r.stdout : undefined;
        },
        60_000,
        500,
        () => `last logs:\n${lastLogs.slice(-2000)}`,
      );
      expect(logs).toMatch(/kubernetes service: "gitVersion": *"v1\.34\.4"/);

      const proxied = await eventually(
        "the apiserver to reach the pod behind its Service",
        async () => {
          const r = await kubectl([
            "get",
            "--raw",
            "/api/v1/namespaces/default/services/service-probe:80/proxy/index.html",
          ]);
          return r.code === 0 ? r.stdout : undefined;
        },
        30_000,
        500,
      );
      expect(proxied).toMatch(/^served by service-probe-/);
    } finally {
      const down = await cli(["cluster", "down", "--dir", dir]);
      expect(down.code, down.stderr).toBe(0);
      expect(down.stdout).toMatch(/stopped worker, kube-scheduler/);
      rmSync(dir, { recursive: true, force: true });
    }
    if (!worker) throw new Error("the worker never started");
    expect(workerLeftovers(dir, worker)).toEqual([]);
    // The kubelet sets kernel.panic, vm.overcommit_memory and others at start.
    expect(readSysctls()).toEqual(sysctlsBefore);
    expect(workerSlotHolder()).not.toBe(dir);
  }, 780_000);

  it("is torn down, worker included, when the run is killed with SIGKILL", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "kubeedge-ts-worker-owner-")), "cp");
    await reserveWorkerSlot(dir, 480_000);
    const child = spawn(process.execPath, ["--import", "tsx", FIXTURE, dir, testCluster().binDir], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      let out = "";
      child.stdout.on("data", d => (out += String(d)));
      await eventually(
        "the owned cluster and its worker to be ready",
        () => out.includes("READY"),
        // The worker imports its preloaded images (the Pepr controller's is ~56 MB) at start.
        300_000,
        200,
      );
      const worker = readState(dir)?.worker;
      if (!worker) throw new Error("no worker in the state of the owned cluster");
      expect(workerLeftovers(dir, worker).length).toBeGreaterThan(0);

      child.kill("SIGKILL");
      await eventually(
        "nothing of the cluster and its worker left on the host",
        () => workerLeftovers(dir, worker).length === 0 && !existsSync(dir),
        120_000,
        500,
        () => `left: ${workerLeftovers(dir, worker).join(", ")}`,
      );
      expect(workerSlotHolder()).not.toBe(dir);
    } finally {
      // A start that never got ready: its watchdog cleans up once the owner is gone.
      child.kill("SIGKILL");
      releaseWorkerSlot(dir);
    }
    rmSync(dirname(dir), { recursive: true, force: true });
  }, 780_000);
});
