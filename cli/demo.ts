/**
 * `kubeedge-ts demo`: KubeEdge's water utility case study on one machine with no cloud account.
 * A local control plane and the cloud module, a containerd, the edge agent for node `edge-1`
 * (labelled modbus=true) running pods through it, a simulated Modbus plant (tank, pressure,
 * valve), then `kubectl apply` of samples/water-utility.yaml and the Modbus mapper Deployment.
 * A live view follows the devices' twins, the node's pods and the cloud link until Ctrl+C.
 */
import type { Command } from "commander";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { eventually } from "@kubeedge-ts/testkit";
import { kubeRequest } from "../local/kube/kube-request.js";
import { WATER_DEVICES } from "../local/plant/index.js";
import { agentTwinReader } from "./demo/agent-twin.js";
import { ChildWatch } from "./demo/children.js";
import { showLive } from "./demo/live.js";
import { deviceRow, SnapshotTaker } from "./demo/snapshot.js";
import { DEMO_NAMESPACE, type Stack, startStack } from "./demo/stack.js";
import { tryCommands } from "./demo/try-commands.js";

const say = (line: string): void => console.log(`[demo] ${line}`);

interface DemoOptions {
  dir: string;
  node: string;
  keep: boolean;
  exitAfterReport: boolean;
  exitAfter?: number;
}

export async function runDemo(opts: DemoOptions): Promise<void> {
  const cleanups: (() => Promise<void> | void)[] = [];
  let closing = false;
  const watch = new ChildWatch();
  const cleanup = async (): Promise<void> => {
    closing = true;
    watch.disarm();
    say("stopping everything the demo started");
    for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch(() => undefined);
  };
  // After a failure the steps still in flight may start more: stop those at once.
  const onExit = (fn: () => Promise<void> | void): void => {
    if (closing) void Promise.resolve(fn()).catch(() => undefined);
    else cleanups.push(fn);
  };
  let interrupted!: () => void;
  const interrupt = new Promise<void>(r => (interrupted = r));
  process.once("SIGINT", () => interrupted());
  process.once("SIGTERM", () => interrupted());
  try {
    const run = async (): Promise<void> => {
      const stack = await startStack({ ...opts, say, onExit, watch });
      await show(stack, opts, interrupt);
    };
    await Promise.race([run(), watch.failed, interrupt]);
  } catch (err) {
    say("failed");
    await cleanup();
    throw err;
  }
  await cleanup();
}

interface DeviceJson {
  metadata: { name: string };
  status?: { twins?: { propertyName: string; reported?: { value?: string } }[] };
}

/** Waits until every device reports into the apiserver and the valve holds its desired value. */
async function proveLoop(stack: Stack): Promise<void> {
  const path = `/apis/devices.kubeedge.io/v1alpha2/namespaces/${DEMO_NAMESPACE}/devices`;
  const reported = await eventually(
    "reported values of every device in the apiserver",
    async () => {
      const r = await kubeRequest<{ items: DeviceJson[] }>(stack.admin, "GET", path);
      const rows = (r.body.items ?? []).map(deviceRow);
      const all = Object.values(WATER_DEVICES).every(name =>
        rows.find(d => d.name === name)?.twins.some(t => t.reported !== undefined),
      );
      return all ? rows : undefined;
    },
    240_000,
    1000,
  );
  for (const d of reported) {
    const values = d.twins.filter(t => t.reported !== undefined);
    say(
      `Device ${DEMO_NAMESPACE}/${d.name} reports ${values.map(t => `${t.property}=${t.reported}`).join(" ")}`,
    );
  }
  // The cloud's desired position is in the Device; the edge app may override it at the edge
  // (docs/security.md), so the valve is proven against the value the agent holds.
  const cloudDesired = reported
    .find(d => d.name === WATER_DEVICES.valve)
    ?.twins.find(t => t.property === "position")?.desired;
  const twins = await agentTwinReader(stack.agentConfig);
  try {
    const held = await eventually(
      "the valve's desired position in its holding register",
      async () => {
        const desired = await twins.desired(WATER_DEVICES.valve, "position");
        if (desired === undefined) return undefined;
        return String(await stack.plant.commandedPercent()) === desired ? desired : undefined;
      },
      60_000,
      500,
    );
    const by = held === cloudDesired ? "the cloud's" : "set at the edge by the water-utility app";
    say(`desired position=${held} (${by}) reached the valve's holding register`);
  } finally {
    await twins.close();
  }
}

async function show(stack: Stack, opts: DemoOptions, interrupt: Promise<void>): Promise<void> {
  const footer = tryCommands(stack, opts.node);
  if (opts.exitAfterReport) {
    await proveLoop(stack);
    // With --exit-after as well, the live view follows for that long (tested on a pty).
    if (opts.exitAfter === undefined) {
      footer.forEach(line => console.log(line));
      return;
    }
  }
  const tty = process.stdout.isTTY === true;
  if (!tty) footer.forEach(line => console.log(line));
  const until =
    opts.exitAfter === undefined
      ? interrupt
      : Promise.race([interrupt, new Promise<void>(r => setTimeout(r, opts.exitAfter! * 1000))]);
  const taker = new SnapshotTaker({
    kubeconfig: stack.admin,
    namespace: DEMO_NAMESPACE,
    node: opts.node,
    metricsUrl: stack.metricsUrl,
  });
  say(opts.exitAfter === undefined ? "live view until Ctrl+C" : `live view for ${opts.exitAfter}s`);
  await showLive(taker, { tty, footer, until });
}

const seconds = (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--exit-after wants seconds, got "${v}"`);
  return n;
};

export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description(
      "the water utility on one machine: local cluster, cloud module, containerd, edge agent, " +
        "simulated Modbus plant, mapper and edge app pods, with a live view",
    )
    .option("--dir <dir>", "state folder", join(tmpdir(), "kubeedge-ts", "demo"))
    .option("--node <name>", "edge node name", "edge-1")
    .option("--keep", "leave the control plane and containerd running on exit", false)
    .option("--exit-after <seconds>", "stop after this many seconds of live view", seconds)
    .option(
      "--exit-after-report",
      "stop once every device reports and the valve holds its desired value (CI smoke test); " +
        "with --exit-after, show the live view that long first",
      false,
    )
    .action((o: DemoOptions) => runDemo({ ...o, dir: resolve(o.dir) }));
}
