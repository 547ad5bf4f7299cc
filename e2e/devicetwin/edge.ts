/**
 * An in-process edge agent for device-loop e2e tests: the node identity of the shared control
 * plane, every module the config enables (DeviceTwin and EventBus included), the embedded
 * broker on a free port (read it from the EventBus module: `internal.port`).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { allModules, loadConfig, startAgent, type Agent } from "@kubeedge-ts/edge-agent";
import { pino } from "pino";
import { stringify } from "yaml";
import { tempDir } from "../edge-agent/agent.js";
import type { TestCluster } from "../harness.js";

export async function startTwinAgent(cluster: TestCluster, node: string): Promise<Agent> {
  const dir = tempDir("twin");
  const file = join(dir, "agent.yaml");
  const cfg = {
    nodeName: node,
    dataDir: dir,
    logLevel: "warn",
    server: { port: 0 },
    modules: {
      edgeHub: {
        kubeconfig: await cluster.nodeIdentity(node),
        reconnectInitialMs: 200,
        reconnectMaxMs: 1000,
        requestTimeoutMs: 3000,
      },
      edged: { nodeStatusUpdateFrequency: 5, remoteRuntimeEndpoint: "" },
      eventBus: { mqttMode: "internal", mqttServerInternal: "tcp://127.0.0.1:0" },
    },
  };
  writeFileSync(file, stringify(cfg));
  const config = loadConfig(file);
  return startAgent(config, {
    modules: allModules().filter(m => m.enabled(config)),
    log: pino({ level: "warn", base: { node } }),
  });
}
