/**
 * Edge agent fixtures for e2e tests: the agent in-process (to queue reports and query its bus)
 * or as its own process (to kill -9 it), against the shared control plane.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  allModules,
  Group,
  loadConfig,
  startAgent,
  type Agent,
  type AgentModule,
  type Message,
  type ModuleContext,
} from "@kubeedge-ts/edge-agent";
import { pino } from "pino";
import { stringify } from "yaml";
import { inject } from "vitest";
import { binPath, startChild, type Child } from "@kubeedge-ts/testkit";
import { eventually, type TestCluster } from "../harness.js";

const ROOT = resolve(import.meta.dirname, "../..");

/** A module in the twin group that records what the bus brings it. */
export class ProbeModule implements AgentModule {
  readonly group = Group.Twin;
  readonly seen: Message[] = [];
  constructor(readonly name = "e2e-probe") {}
  enabled(): boolean {
    return true;
  }
  async start(ctx: ModuleContext): Promise<void> {
    void (async () => {
      for await (const m of ctx.bus.messages(this.name)) this.seen.push(m);
    })();
  }
  async stop(): Promise<void> {}
}

/** Settings that keep tests quick: fast reconnects, frequent status. */
export function testConfigYaml(
  node: string,
  kubeconfig: string,
  dataDir: string,
  logLevel = "info",
): string {
  return stringify({
    nodeName: node,
    dataDir,
    logLevel,
    server: { port: 0 },
    modules: {
      edgeHub: {
        kubeconfig,
        reconnectInitialMs: 200,
        reconnectMaxMs: 2000,
        requestTimeoutMs: 5000,
      },
      edged: { nodeStatusUpdateFrequency: 5, remoteRuntimeEndpoint: "" },
      eventBus: { enable: false },
      deviceTwin: { enable: false },
    },
  });
}

/**
 * A fresh dir in the run's scratch dir, which the run removes at its end — with the Secrets key
 * dir an agent keeps beside its data dir (`<dir>.keys`, on purpose not inside it).
 */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(inject("scratchDir"), `kubeedge-ts-${prefix}-`));
}

/**
 * The agent in-process with the node's identity. `kubeconfig` may return another kubeconfig
 * file made from the minted one (e.g. its server pointed at a proxy the test controls).
 */
export async function inProcessAgent(
  cluster: TestCluster,
  node: string,
  dataDir = tempDir("agent"),
  kubeconfigFor: (minted: string) => string = minted => minted,
): Promise<{ agent: Agent; probe: ProbeModule; dataDir: string }> {
  const kubeconfig = kubeconfigFor(await cluster.nodeIdentity(node));
  const file = join(dataDir, "agent.yaml");
  writeFileSync(file, testConfigYaml(node, kubeconfig, dataDir, "warn"));
  const config = loadConfig(file);
  const probe = new ProbeModule();
  const modules = allModules().filter(m => m.enabled(config));
  const agent = await startAgent(config, {
    modules: [...modules, probe],
    log: pino({ level: "warn", base: { node } }),
  });
  return { agent, probe, dataDir };
}

/** The edge agent (through its bin, as users run it) or a fixture script as a child process. */
export class AgentProcess {
  private readonly child: Child;
  private constructor(command: string, args: string[]) {
    this.child = startChild(command, args, { cwd: ROOT });
  }

  get proc(): ChildProcess {
    return this.child.proc;
  }

  /** Everything it wrote to stdout and stderr so far. */
  get output(): string {
    return this.child.output();
  }

  /** A TypeScript fixture script, from source. */
  static script(script: string, args: string[]): AgentProcess {
    return new AgentProcess(process.execPath, [
      "--import",
      "tsx",
      "--conditions",
      "source",
      script,
      ...args,
    ]);
  }

  /** `kubeedge-edge` from node_modules/.bin: the built agent with the bin's V8 flags. */
  static cli(args: string[]): AgentProcess {
    return new AgentProcess(binPath("kubeedge-edge"), args);
  }

  get exited(): boolean {
    return this.proc.exitCode !== null || this.proc.signalCode !== null;
  }

  /** The /healthz port the agent logged. */
  async healthPort(): Promise<number> {
    return eventually(
      "the agent to listen",
      async () => {
        if (this.exited) {
          const how = `code ${this.proc.exitCode} signal ${this.proc.signalCode}`;
          throw new Error(`agent exited (${how}):\n${this.output}`);
        }
        const m = /"port":(\d+),"msg":"healthz and metrics listening"/.exec(this.output);
        return m ? Number(m[1]) : undefined;
      },
      60_000,
      100,
    );
  }

  async kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    if (this.exited) return;
    this.proc.kill(signal);
    await this.child.exited;
  }
}

export async function getJson<T>(port: number, path: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
  return (await res.json()) as T;
}

/** One sample of a metric (summed over label sets matching `labels`). */
export async function metric(port: number, name: string, labels = ""): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (m && m[1] === name && (m[2] ?? "").includes(labels)) sum += Number(m[3]);
  }
  return sum;
}

export function metricFromRegistry(agent: Agent, name: string): number {
  const line = agent.metrics
    .render()
    .split("\n")
    .filter(l => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line.reduce((s, l) => s + Number(l.split(" ").pop()), 0);
}
