import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { Beehive } from "../beehive/context.js";
import { ModuleRunner } from "../beehive/core.js";
import { newMessage } from "../beehive/message.js";
import { Group, Operation } from "../beehive/names.js";
import { defaultConfig } from "../config/defaults.js";
import type { KubeObject } from "../kube/client.js";
import { MetaStore } from "../store/meta-store.js";
import { MetricsRegistry } from "../observability/metrics.js";
import { openDatabase } from "../store/database.js";
import { Outbox, OutboxKind } from "../store/outbox.js";
import { EdgedModule } from "./index.js";

const pod = (uid: string, generation = 1, deleting = false): KubeObject => ({
  kind: "Pod",
  metadata: {
    name: "web",
    namespace: "default",
    uid,
    generation,
    ...(deleting ? { deletionTimestamp: "2026-01-01T00:00:00Z" } : {}),
  },
});

async function setup(): Promise<{
  bus: Beehive;
  edged: EdgedModule;
  outbox: Outbox;
  metrics: MetricsRegistry;
}> {
  const db = openDatabase(":memory:");
  const bus = new Beehive();
  const outbox = new Outbox(db);
  const metrics = new MetricsRegistry();
  const edged = new EdgedModule();
  const runner = new ModuleRunner(
    {
      bus,
      config: defaultConfig(),
      nodeName: "n",
      db,
      meta: new MetaStore(db),
      outbox,
      metrics,
      signal: new AbortController().signal,
    },
    pino({ level: "silent" }),
  );
  runner.register(edged);
  await runner.start();
  return { bus, edged, outbox, metrics };
}

const send = (bus: Beehive, operation: Operation, p: KubeObject): void =>
  bus.sendToGroup(
    Group.Edged,
    newMessage({ source: "test", resource: "default/pod/web", operation }, p),
  );
const settle = (): Promise<void> => new Promise(r => setTimeout(r, 10));
const count = (m: MetricsRegistry, name: string): number =>
  Number(new RegExp(`^${name} (\\d+)`, "m").exec(m.render())?.[1]);

describe("edged bookkeeping", () => {
  it("adopts restored pods and starts only a new uid", async () => {
    const { bus, edged, metrics } = await setup();
    send(bus, Operation.Restore, pod("a"));
    send(bus, Operation.Update, pod("a", 2));
    await settle();
    expect(count(metrics, "kubeedge_edge_pods_adopted_total")).toBe(1);
    expect(count(metrics, "kubeedge_edge_pod_starts_total")).toBe(0);
    expect(edged.running.get("default/web")).toEqual({ uid: "a", generation: 2 });
    send(bus, Operation.Insert, pod("b"));
    await settle();
    expect(count(metrics, "kubeedge_edge_pod_starts_total")).toBe(1);
    expect(count(metrics, "kubeedge_edge_pod_stops_total")).toBe(1);
  });

  it("stops a terminating pod and queues its final uid-preconditioned delete", async () => {
    const { bus, edged, outbox } = await setup();
    send(bus, Operation.Insert, pod("a"));
    send(bus, Operation.Update, pod("a", 1, true));
    await settle();
    expect(edged.running.size).toBe(0);
    expect(outbox.peek().map(e => [e.kind, e.payload])).toEqual([
      [OutboxKind.PodDelete, { namespace: "default", name: "web", uid: "a" }],
    ]);
  });

  it("ignores a delete for another uid", async () => {
    const { bus, edged } = await setup();
    send(bus, Operation.Insert, pod("a"));
    send(bus, Operation.Delete, pod("old"));
    await settle();
    expect(edged.running.get("default/web")?.uid).toBe("a");
  });
});
