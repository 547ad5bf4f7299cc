/**
 * Device state follows node reachability: when an edge Node goes NotReady or unreachable
 * (Ready condition False/Unknown, set by the node lifecycle controller when heartbeats stop) its
 * Devices' status.state becomes "unknown"; when it is Ready again each device gets back the
 * state it had, kept meanwhile in an annotation. The edge agent overwrites it with fresh
 * reports once it is connected, so the restore only bridges the gap.
 */
import { DEVICES_GROUP } from "@kubeedge-ts/contract";
import { boundNode } from "../shared/node-binding.js";
import type { Device } from "../../crds/index.js";

export const UNKNOWN_STATE = "unknown";
/** Where the state before "unknown" is kept ("" when the device had none). */
export const STATE_BEFORE_UNKNOWN_ANNOTATION = `${DEVICES_GROUP}/state-before-unknown`;

export type Readiness = "ready" | "not-ready";

interface NodeLike {
  status?: { conditions?: { type?: string; status?: string }[] };
}

/** undefined while the node has not reported Ready at all (just registered): leave devices be. */
export function nodeReadiness(node: NodeLike): Readiness | undefined {
  const ready = node.status?.conditions?.find(c => c.type === "Ready");
  if (!ready) return undefined;
  return ready.status === "True" ? "ready" : "not-ready";
}

/** The merge patch that moves one device to match its node's readiness, or undefined. */
export function deviceStatePatch(device: Device, readiness: Readiness): object | undefined {
  const annotations = device.metadata?.annotations ?? {};
  const saved = annotations[STATE_BEFORE_UNKNOWN_ANNOTATION];
  if (readiness === "not-ready") {
    if (saved !== undefined) return undefined; // already marked by us
    return {
      metadata: { annotations: { [STATE_BEFORE_UNKNOWN_ANNOTATION]: device.status?.state ?? "" } },
      status: { state: UNKNOWN_STATE },
    };
  }
  if (saved === undefined) return undefined;
  // Restore only what we changed: a state reported meanwhile (not "unknown") wins. A device
  // that never had a state stays "unknown" (true until it reports; removing the field would be
  // undone by the devices capability, which keeps stored state on writes that omit it).
  const current = device.status?.state;
  const restore = current === UNKNOWN_STATE && saved ? saved : current;
  return {
    metadata: { annotations: { [STATE_BEFORE_UNKNOWN_ANNOTATION]: null } },
    ...(restore !== current ? { status: { state: restore } } : {}),
  };
}

export function devicesOfNode(devices: Device[], node: string): Device[] {
  return devices.filter(d => boundNode(d) === node);
}
