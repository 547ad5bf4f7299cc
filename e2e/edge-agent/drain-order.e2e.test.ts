/**
 * Issue 12, outbox ordering: the agent's link to the apiserver goes through a TCP proxy the
 * test controls, and is hung and cut while a Device status PATCH is on its way. Whatever the
 * drain resends afterwards, the Device's reported value seen by a watch never goes backwards
 * and ends with the newest report.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { enqueueDeviceStatus, type Agent } from "@kubeedge-ts/edge-agent";
import { startChild, startTcpProxy, type Child, type TcpProxy } from "@kubeedge-ts/testkit";
import { eventually, testCluster } from "../harness.js";
import { inProcessAgent } from "./agent.js";
import { device, ensureDevices } from "./devices.js";

const cluster = testCluster();
const NODE = "ea-drain-order-1";
const DEVICE = "ea-order-dev";
let agent: Agent | undefined;
let proxy: TcpProxy;
let watch: Child | undefined;
let dataDir: string | undefined;
let removeDevices: () => Promise<void> = async () => undefined;

beforeAll(async () => {
  removeDevices = await ensureDevices(cluster);
  const input = JSON.stringify(device(DEVICE, NODE));
  await eventually(
    "the Device to apply",
    async () => (await cluster.kubectl(["apply", "-f", "-"], { input })).code === 0,
  );
  proxy = await startTcpProxy({ port: Number(new URL(cluster.server).port) });
  ({ agent, dataDir } = await inProcessAgent(cluster, NODE, undefined, minted => {
    // The node's own identity, with the server pointed at the proxy (same 127.0.0.1 address,
    // so the apiserver's certificate still matches).
    const proxied = `${minted}.via-proxy`;
    const text = readFileSync(minted, "utf8").replace(
      cluster.server,
      `https://127.0.0.1:${proxy.port}`,
    );
    writeFileSync(proxied, text, { mode: 0o600 });
    return proxied;
  }));
});

afterAll(async () => {
  watch?.proc.kill();
  await agent?.stop();
  await proxy?.close();
  await cluster.kubectl(["delete", "device", DEVICE, "--ignore-not-found"]);
  await cluster.kubectl(["delete", "node", NODE, "--ignore-not-found"]);
  await removeDevices();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function report(a: Agent, value: number): void {
  enqueueDeviceStatus(a.outbox, {
    namespace: "default",
    name: DEVICE,
    status: {
      twins: [
        {
          propertyName: "temperature",
          reported: { value: String(value), metadata: { type: "int" } },
        },
      ],
    },
  });
}

/** The reported values the watch printed so far, in order. */
function observed(w: Child): number[] {
  return w
    .output()
    .split("\n")
    .map(l => l.trim())
    .filter(l => /^\d+$/.test(l))
    .map(Number);
}

describe("the outbox drain across a cut link", () => {
  it("a report cut off mid-PATCH is never overtaken by a newer one for the same device", async () => {
    const a = agent!;
    await eventually("the agent to connect", async () => a.cloudConnected(), 60_000);
    const jsonpath = '{.status.twins[?(@.propertyName=="temperature")].reported.value}{"\\n"}';
    const w = startChild(join(cluster.binDir, "kubectl"), [
      "--kubeconfig",
      cluster.adminKubeconfig,
      "get",
      "device",
      DEVICE,
      "-n",
      "default",
      "--watch",
      "-o",
      `jsonpath=${jsonpath}`,
    ]);
    watch = w;
    let value = 0;
    report(a, ++value);
    await eventually("the first report to arrive", async () => observed(w).includes(value), 30_000);

    for (let round = 0; round < 3; round++) {
      // Hold every byte: the next PATCH leaves the agent but does not reach the apiserver.
      proxy.hang();
      const held = proxy.heldBytes;
      report(a, ++value);
      await eventually("a PATCH held in the proxy", async () => proxy.heldBytes > held, 30_000);
      // Newer reports queue behind the one on its way (a new outbox row: it is in flight).
      report(a, ++value);
      report(a, ++value);
      // The link is cut with the PATCH in the middle: its bytes never arrive.
      proxy.cut();
      await eventually("the agent to notice the cut", async () => !a.cloudConnected(), 60_000);
      report(a, ++value);
      proxy.restore();
      const newest = value;
      await eventually(
        `round ${round}: every report delivered`,
        async () => a.cloudConnected() && a.outbox.depth() === 0 && observed(w).at(-1) === newest,
        60_000,
      );
    }

    const seen = observed(w);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i], `watch sequence ${seen.join(",")}`).toBeGreaterThanOrEqual(seen[i - 1]!);
    }
    expect(seen.at(-1)).toBe(value);
    const r = await cluster.kubectl([
      "get",
      "device",
      DEVICE,
      "-n",
      "default",
      "-o",
      `jsonpath=${jsonpath}`,
    ]);
    expect(r.stdout.trim()).toBe(String(value));
  });
});
