import { rmSync } from "node:fs";
import {
  CONNECTION_RESOURCE,
  ConnectionState,
  enqueueDeviceStatus,
  ModuleName,
  newMessage,
  Operation,
  OutboxKind,
  type Agent,
} from "@kubeedge-ts/edge-agent";
import { eventually, testCluster } from "../harness.js";
import { getJson, inProcessAgent, type ProbeModule } from "./agent.js";
import { device, ensureDevices } from "./devices.js";

const cluster = testCluster();
const NODE = "ea-offline-1";
const REASON = "E2EOfflineReport";
let agent: Agent;
let probe: ProbeModule;
let dataDir: string;
let removeDevices: () => Promise<void> = async () => undefined;

async function kubectlJson<T>(args: string[]): Promise<T> {
  const r = await cluster.kubectl([...args, "-o", "json"]);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

beforeAll(async () => {
  removeDevices = await ensureDevices(cluster);
  const input = JSON.stringify({
    apiVersion: "v1",
    kind: "List",
    items: [
      device("ea-dev", NODE),
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "ea-offline-pod", namespace: "default" },
        spec: { nodeName: NODE, containers: [{ name: "c", image: "registry.k8s.io/pause:3.10" }] },
      },
    ],
  });
  await eventually(
    "test objects to apply",
    async () => (await cluster.kubectl(["apply", "-f", "-"], { input })).code === 0,
  );
  ({ agent, probe, dataDir } = await inProcessAgent(cluster, NODE));
});

afterAll(async () => {
  await cluster.startApiServer().catch(() => undefined);
  await agent?.stop();
  await cluster.kubectl([
    "delete",
    "pod",
    "ea-offline-pod",
    "--ignore-not-found",
    "--force",
    "--grace-period=0",
  ]);
  await cluster.kubectl([
    "delete",
    "events",
    "--field-selector",
    `reason=${REASON}`,
    "--ignore-not-found",
  ]);
  await cluster.kubectl(["delete", "device", "ea-dev", "--ignore-not-found"]);
  await cluster.kubectl(["delete", "node", NODE, "--ignore-not-found"]);
  await removeDevices();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const connectionStates = (): string[] =>
  probe.seen.filter(m => m.router.resource === CONNECTION_RESOURCE).map(m => String(m.content));

describe("edge agent offline", () => {
  it("queues reports while the apiserver is away 30 s and delivers each exactly once, in order", async () => {
    await eventually(
      "the agent to connect and cache its pod",
      async () => agent.cloudConnected() && agent.meta.get("Pod", "default", "ea-offline-pod"),
    );
    expect(connectionStates()).toEqual([ConnectionState.Connected]);

    await cluster.stopApiServer();
    const downAt = Date.now();
    await eventually("the agent to notice", async () => !agent.cloudConnected(), 30_000);
    expect(connectionStates().at(-1)).toBe(ConnectionState.Disconnected);

    // A report every second for 30 s, as a mapper would keep reporting.
    let n = 0;
    while (Date.now() - downAt < 30_000) {
      n++;
      agent.outbox.enqueue(OutboxKind.Event, `r${n}`, { reason: REASON, message: `report-${n}` });
      enqueueDeviceStatus(agent.outbox, {
        namespace: "default",
        name: "ea-dev",
        status: {
          twins: [
            {
              propertyName: "temperature",
              reported: { value: String(n), metadata: { type: "int" } },
            },
          ],
          state: "online",
        },
      });
      // Meanwhile the agent answers from SQLite, over the bus and on its local port.
      const reply = await agent.bus.sendSync(
        ModuleName.MetaManager,
        newMessage(
          { source: "test", resource: "default/pod/ea-offline-pod", operation: Operation.Query },
          { kind: "Pod", namespace: "default", name: "ea-offline-pod" },
        ),
        2_000,
      );
      expect(reply.router.operation).toBe(Operation.Response);
      expect((reply.content as { spec: { nodeName: string } }).spec.nodeName).toBe(NODE);
      await new Promise(r => setTimeout(r, 1000));
    }
    const h = await getJson<{ cloudConnected: boolean; outboxDepth: number }>(
      agent.healthPort,
      "/healthz",
    );
    expect(h.cloudConnected).toBe(false);
    // Device reports coalesce into one pending patch; events do not.
    expect(h.outboxDepth).toBe(n + 1);

    await cluster.startApiServer();
    await eventually(
      "the agent to reconnect and drain its outbox",
      async () => agent.cloudConnected() && agent.outbox.depth() === 0,
      60_000,
    );
    expect(connectionStates().slice(-2)).toEqual([
      ConnectionState.Disconnected,
      ConnectionState.Connected,
    ]);

    const events = await kubectlJson<{
      items: { message: string; metadata: { resourceVersion: string } }[];
    }>([
      "get",
      "events",
      "-n",
      "default",
      "--field-selector",
      `reason=${REASON},involvedObject.name=${NODE}`,
    ]);
    const inOrder = events.items
      .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
      .map(e => e.message);
    expect(inOrder).toEqual(Array.from({ length: n }, (_, i) => `report-${i + 1}`));

    const dev = await kubectlJson<{
      status: { state?: string; twins: { propertyName: string; reported?: { value: string } }[] };
    }>(["get", "device", "ea-dev", "-n", "default"]);
    expect(dev.status.state).toBe("online");
    expect(dev.status.twins.find(t => t.propertyName === "temperature")?.reported?.value).toBe(
      String(n),
    );
  });
});
