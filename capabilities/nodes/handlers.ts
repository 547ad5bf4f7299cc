/**
 * Pepr handlers of the edge-nodes capability: thin adapters over edge-defaults.ts and
 * device-write.ts. Requests from anyone but an edge node pass the device handlers untouched.
 */
import { Log, type PeprMutateRequest, type PeprValidateRequest } from "pepr";
import type { Device, DeviceModel } from "../../crds/index.js";
import { modelOf } from "../devices/lookups.js";
import { becomesEdgeNode, withEdgeDefaults, type NodeLike } from "./edge-defaults.js";
import {
  nodeOperationDenial,
  nodeWriteDenial,
  nodeWriteViolation,
  rebuildNodeWrite,
} from "./device-write.js";
import { requestingNode } from "./identity.js";

type ValidateResponse = ReturnType<PeprValidateRequest<Device>["Approve"]>;
const log = Log.child({ component: "edge-nodes" });

export function addEdgeNodeDefaults(req: PeprMutateRequest<NodeLike & { kind?: string }>): void {
  if (!becomesEdgeNode(req.Raw, req.OldResource as NodeLike | undefined)) return;
  req.Raw = withEdgeDefaults(req.Raw);
  log.info({ node: req.Raw.metadata?.name }, "edge node defaults applied");
}

function idOf(o: { metadata?: { namespace?: string; name?: string } }): string {
  return `${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? ""}`;
}

async function declaredProperties(stored: Device): Promise<Set<string>> {
  // Fresh: a report for a property just added to the model must not be refused on stale data.
  const { model } = await modelOf(stored, { fresh: true });
  return new Set((model?.spec?.properties ?? []).map(p => p.name));
}

/** Rebuilds a node's device write from the stored object when the write is allowed. */
export async function rebuildDeviceWriteFromNode(req: PeprMutateRequest<Device>): Promise<void> {
  const node = requestingNode(req.Request.userInfo);
  const stored = req.OldResource as Device | undefined;
  if (!node || req.Request.operation !== "UPDATE" || !stored) return;
  const declared = await declaredProperties(stored);
  // A refused write stays as sent, so the validating step sees and names what was wrong.
  if (nodeWriteViolation(node, stored, req.Raw, declared)) return;
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
  const why = nodeWriteDenial(node, stored, req.Raw, await declaredProperties(stored));
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
