/**
 * The edge agent's config file for the demo node: pods through the demo's containerd, the node
 * labelled for the Modbus mapper Deployment, the embedded broker where the samples look for it,
 * and the water utility's application granted the valve.
 */
import { stringify } from "yaml";
import { MODBUS_NODE_LABEL } from "@kubeedge-ts/contract";
import { WATER_DEVICES } from "../../local/plant/sample.js";

/** The application name the sample's Secret `kubeedge-mqtt-app-water-utility` is served for. */
export const WATER_APP = "water-utility";

export interface DemoAgentConfig {
  node: string;
  dataDir: string;
  kubeconfig: string;
  runtimeEndpoint: string;
  healthzPort: number;
  kubeletPort: number;
  mqttUrl: string;
  namespace: string;
  /**
   * The containerd is shared with other agents (the e2e suite's): image GC off, so this node
   * never removes images another node's pods are about to use.
   */
  sharedRuntime?: boolean;
}

export function agentConfigYaml(c: DemoAgentConfig): string {
  return stringify({
    nodeName: c.node,
    dataDir: c.dataDir,
    server: { port: c.healthzPort },
    modules: {
      // The identity `kubeedge-edge join` wrote: the agent renews it before it expires.
      edgeHub: {
        kubeconfig: c.kubeconfig,
        rotateCertificates: true,
        reconnectInitialMs: 500,
        reconnectMaxMs: 5000,
      },
      edged: {
        remoteRuntimeEndpoint: c.runtimeEndpoint,
        port: c.kubeletPort,
        labels: { [MODBUS_NODE_LABEL]: "true" },
        ...(c.sharedRuntime ? { imageGCHighThresholdPercent: 100 } : {}),
      },
      eventBus: {
        mqttServerInternal: c.mqttUrl,
        applications: [{ name: WATER_APP, namespace: c.namespace, writes: [WATER_DEVICES.valve] }],
      },
    },
  });
}
