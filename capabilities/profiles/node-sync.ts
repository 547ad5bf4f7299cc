/**
 * Node-level state derived from the per-namespace profiles: the device-namespaces annotation
 * (which namespaces the node must watch for its profile) and the DeviceProfilesSynced condition.
 */
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, PROFILE_NODE_LABEL } from "@kubeedge-ts/contract";
import { isNotFound, KubeClient, paths } from "./kube-client.js";
import { nodeAnnotationPatch, nodeAnnotationValue, type ConfigMapLike } from "./objects.js";

export const PROFILE_CONDITION = "DeviceProfilesSynced";

interface NodeLike {
  metadata?: { annotations?: Record<string, string> };
  status?: { conditions?: { type?: string; status?: string; reason?: string; message?: string }[] };
}

async function getNode(client: KubeClient, node: string): Promise<NodeLike | undefined> {
  try {
    return await client.get<NodeLike>(paths.node(node));
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Returns the namespaces now annotated, or undefined when the Node does not exist (yet). */
export async function syncNodeAnnotation(
  client: KubeClient,
  node: string,
): Promise<string[] | undefined> {
  const selector = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},${PROFILE_NODE_LABEL}=${node}`;
  const cms = await client.list<ConfigMapLike>(paths.allConfigMaps(), selector);
  const namespaces = [...new Set(cms.map(c => c.metadata?.namespace ?? ""))].filter(Boolean).sort();
  const current = await getNode(client, node);
  if (!current) return undefined;
  const want = namespaces.length > 0 ? namespaces.join(",") : undefined;
  if (nodeAnnotationValue(current) !== want) {
    try {
      await client.patch(paths.node(node), nodeAnnotationPatch(namespaces));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
  return namespaces;
}

export interface ConditionState {
  ok: boolean;
  reason: string;
  message: string;
}

/**
 * Strategic merge on nodes/status merges conditions by type, so the edge agent's own
 * conditions (Ready, ...) are left alone.
 */
export async function setProfileCondition(
  client: KubeClient,
  node: string,
  state: ConditionState,
): Promise<void> {
  const now = new Date().toISOString();
  const condition = {
    type: PROFILE_CONDITION,
    status: state.ok ? "True" : "False",
    reason: state.reason,
    message: state.message,
    lastHeartbeatTime: now,
    lastTransitionTime: now,
  };
  try {
    await client.patch(
      paths.nodeStatus(node),
      { status: { conditions: [condition] } },
      "strategic",
    );
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
