/** The commands the demo suggests, with this run's kubeconfig and kubectl filled in. */
import { WATER_DEVICES } from "../../local/plant/index.js";
import type { Stack } from "./stack.js";

export function tryCommands(
  stack: Pick<Stack, "admin" | "kubectl" | "agentLog" | "clusterDir">,
  node: string,
): string[] {
  const k = `KUBECONFIG=${stack.admin} ${stack.kubectl}`;
  const valve = WATER_DEVICES.valve;
  return [
    "try it (in another terminal):",
    `  ${k} get devices`,
    `  ${k} get device ${valve} -o yaml`,
    `  ${k} patch device ${valve} --type=merge -p '{"status":{"twins":[{"propertyName":"position","desired":{"value":"80"}}]}}'`,
    `  ${k} get pods -o wide --field-selector spec.nodeName=${node}`,
    `  ${k} logs deploy/modbus-mapper`,
    `  ${k} logs deploy/water-utility`,
    `  cut the cloud link for a while (the valve keeps being controlled at the edge):`,
    `    npx kubeedge-ts cluster stop-apiserver --dir ${stack.clusterDir}`,
    `    npx kubeedge-ts cluster start-apiserver --dir ${stack.clusterDir}`,
    `  edge agent log: ${stack.agentLog}`,
  ];
}
