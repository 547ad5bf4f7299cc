import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  loadConfig,
  MetaStore,
  openDatabase,
  allModules,
  type Agent,
} from "@kubeedge-ts/edge-agent";
import { eventually, testCluster } from "../harness.js";
import { inProcessAgent, metricFromRegistry, tempDir, testConfigYaml } from "./agent.js";

const cluster = testCluster();
const NODE = "ea-resume-1";
let agent: Agent | undefined;
const dataDir = tempDir("resume");

const pod = (name: string): object => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default" },
  spec: { nodeName: NODE, containers: [{ name: "c", image: "registry.k8s.io/pause:3.10" }] },
});

afterAll(async () => {
  await agent?.stop();
  await cluster.kubectl([
    "delete",
    "pod",
    "ea-resume-live",
    "--ignore-not-found",
    "--force",
    "--grace-period=0",
  ]);
  await cluster.kubectl(["delete", "node", NODE, "--ignore-not-found"]);
  rmSync(dataDir, { recursive: true, force: true });
});

describe("edge agent watch resume", () => {
  it("relists and diffs when its stored resourceVersion is too old (410 Gone)", async () => {
    const input = JSON.stringify(pod("ea-resume-live"));
    expect((await cluster.kubectl(["apply", "-f", "-"], { input })).code).toBe(0);
    // A store as a long-offline agent would have it: a pod deleted in the cloud meanwhile, the
    // live pod missing, and a pods watch bookmark the apiserver no longer holds.
    const kubeconfig = await cluster.nodeIdentity(NODE);
    writeFileSync(join(dataDir, "agent.yaml"), testConfigYaml(NODE, kubeconfig, dataDir, "warn"));
    const config = loadConfig(join(dataDir, "agent.yaml"));
    const db = openDatabase(config.database.dataSource, {
      migrations: allModules().flatMap(m => m.migrations ?? []),
    });
    const meta = new MetaStore(db);
    meta.put("Pod", {
      kind: "Pod",
      metadata: {
        name: "ea-resume-gone",
        namespace: "default",
        uid: "gone-uid",
        resourceVersion: "2",
      },
      spec: { nodeName: NODE },
    });
    meta.setWatchVersion("pods", "2");
    db.close();

    ({ agent } = await inProcessAgent(cluster, NODE, dataDir));
    const a = agent!;
    expect(metricFromRegistry(a, "kubeedge_edge_pods_adopted_total")).toBe(1);
    await eventually(
      "the relist to replace the stale pod with the live one",
      async () =>
        a.meta.get("Pod", "default", "ea-resume-live") &&
        !a.meta.get("Pod", "default", "ea-resume-gone"),
    );
    expect(a.metrics.render()).toMatch(
      /kubeedge_edge_watch_restarts_total\{[^}]*reason="gone"[^}]*\} [1-9]/,
    );
    expect(metricFromRegistry(a, "kubeedge_edge_pod_starts_total")).toBe(1);
    expect(metricFromRegistry(a, "kubeedge_edge_pod_stops_total")).toBe(1);
    expect(Number(a.meta.watchVersion("pods"))).toBeGreaterThan(2);
  });
});
