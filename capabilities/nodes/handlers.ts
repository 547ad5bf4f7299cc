/**
 * Pepr handlers of the edge-nodes capability: thin adapters over edge-defaults.ts and
 * device-write.ts. Requests from anyone but an edge node pass the device handlers untouched.
 */
import { a, K8s, Log, type PeprMutateRequest, type PeprValidateRequest } from "pepr";
import {
  EDGE_NODE_GRANTS_CONFIGMAP,
  EDGE_NODE_GRANTS_NAMESPACE,
  EDGE_NODE_ROLE_LABEL,
} from "@kubeedge-ts/contract";
import type { Device, DeviceModel } from "../../crds/index.js";
import { schemaProblems } from "../shared/schema.js";
import { modelOf } from "../shared/lookups.js";
import {
  becomesEdgeNode,
  edgeRoleGranted,
  needsEdgeRole,
  withEdgeDefaults,
  type NodeLike,
} from "./edge-defaults.js";
import {
  nodeOperationDenial,
  nodeWriteDenial,
  nodeWriteViolation,
  rebuildNodeWrite,
} from "./device-write.js";
import { requestingNode } from "../shared/node-identity.js";

type ValidateResponse = ReturnType<PeprValidateRequest<Device>["Approve"]>;
const log = Log.child({ component: "edge-nodes" });

export function addEdgeNodeDefaults(req: PeprMutateRequest<NodeLike & { kind?: string }>): void {
  if (!becomesEdgeNode(req.Raw, req.OldResource as NodeLike | undefined)) return;
  req.Raw = withEdgeDefaults(req.Raw);
  log.info({ node: req.Raw.metadata?.name }, "edge node defaults applied");
}

/** The admin's allow-list of edge nodes (contract names.ts); none when the ConfigMap is absent. */
export async function edgeNodeGrants(): Promise<Record<string, string> | undefined> {
  try {
    const cm = await K8s(a.ConfigMap)
      .InNamespace(EDGE_NODE_GRANTS_NAMESPACE)
      .Get(EDGE_NODE_GRANTS_CONFIGMAP);
    return cm.data ?? {};
  } catch (err) {
    if ((err as { status?: number })?.status === 404) return undefined;
    throw err;
  }
}

/**
 * Gives a Node the edge agent registered its edge role label, with the module's own identity,
 * when an admin allow-listed it; the write then passes addEdgeNodeDefaults like any node that
 * joins with the role. A node not on the list keeps asking (every Node update comes here
 * again), so adding it to the list later grants the role at its next heartbeat.
 */
export async function grantEdgeRole(node: NodeLike): Promise<void> {
  const name = node.metadata?.name;
  if (!name || !needsEdgeRole(node)) return;
  if (!edgeRoleGranted(await edgeNodeGrants(), name)) {
    log.debug({ node: name }, "edge agent node not on the edge node allow-list; no edge role");
    return;
  }
  await K8s(a.Node, { name }).Patch([
    { op: "add", path: `/metadata/labels/${EDGE_NODE_ROLE_LABEL.replace("/", "~1")}`, value: "" },
  ]);
  log.info({ node: name }, "edge role label added to a node registered by the edge agent");
}

function idOf(o: { metadata?: { namespace?: string; name?: string } }): string {
  return `${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? ""}`;
}

type Check = (declared: Set<string>) => string | undefined;

/**
 * Runs a check against the property names of the device's model; a refusal based on a cached
 * model is re-checked with a fresh read (the property may have just been added).
 */
async function withDeclared(stored: Device, check: Check): Promise<string | undefined> {
  const names = (m: DeviceModel | undefined): Set<string> =>
    new Set((m?.spec?.properties ?? []).map(p => p.name));
  const first = await modelOf(stored);
  const why = check(names(first.model));
  if (!why || !first.cached) return why;
  return check(names((await modelOf(stored, { fresh: true })).model));
}

/** Rebuilds a node's device write from the stored object when the write is allowed. */
export async function rebuildDeviceWriteFromNode(req: PeprMutateRequest<Device>): Promise<void> {
  const node = requestingNode(req.Request.userInfo);
  const stored = req.OldResource as Device | undefined;
  if (!node || req.Request.operation !== "UPDATE" || !stored) return;
  if (schemaProblems("Device", req.Raw).length > 0) return; // the apiserver's schema check says why
  const why = await withDeclared(stored, d => nodeWriteViolation(node, stored, req.Raw, d));
  // A refused write stays as sent, so the validating step sees and names what was wrong.
  if (why) return;
  req.Raw.status = rebuildNodeWrite(stored, req.Raw).status;
}

export async function restrictDeviceWriteFromNode(
  req: PeprValidateRequest<Device>,
): Promise<ValidateResponse> {
  const node = requestingNode(req.Request.userInfo);
  if (!node) return req.Approve();
  const stored = req.OldResource as Device | undefined;
  if (req.Request.operation !== "UPDATE" || !stored) {
    return req.Deny(nodeOperationDenial(node, req.Request.operation, "Device", idOf(req.Raw)));
  }
  const why = await withDeclared(stored, d => nodeWriteDenial(node, stored, req.Raw, d));
  if (why) log.info({ node, device: idOf(stored), why }, "node write denied");
  return why ? req.Deny(why) : req.Approve();
}

/** Nodes never create, change or delete models, and never delete devices. */
export function denyNodeWrite(
  kind: string,
): (req: PeprValidateRequest<Device | DeviceModel>) => ValidateResponse {
  return req => {
    const node = requestingNode(req.Request.userInfo);
    if (!node) return req.Approve();
    return req.Deny(nodeOperationDenial(node, req.Request.operation, kind, idOf(req.Raw)));
  };
}
