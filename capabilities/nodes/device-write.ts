/**
 * The node restriction for Devices (docs/design-notes.md, "Reported values and device state"). A
 * node sends a JSON merge patch with only reported values, state and last-online time; a merge
 * patch replaces the whole `status.twins` list, so the webhook rebuilds the object from the stored
 * one plus exactly those fields, and refuses anything else a node tries to change. The checks run
 * twice: the mutating webhook rebuilds only writes that pass them, and the validating webhook
 * (which sees the mutated object) denies what is left with the reason.
 */
import { isDeepStrictEqual } from "node:util";
import type { Device, DeviceTwin } from "../../crds/index.js";
import { boundNode } from "../shared/node-binding.js";
import { mergeReported } from "../shared/reported-twins.js";

/** Annotations Pepr writes on every object it mutates; they say nothing about the node. */
const PEPR_ANNOTATION = /\.pepr\.dev\//;

function ownAnnotations(d: Device): Record<string, string> {
  const all = (d.metadata?.annotations ?? {}) as Record<string, string>;
  return Object.fromEntries(Object.entries(all).filter(([k]) => !PEPR_ANNOTATION.test(k)));
}

/** The metadata a node may not touch, each with how to read it for comparison. */
const PROTECTED_METADATA: [string, (d: Device) => unknown][] = [
  ["metadata.labels", d => d.metadata?.labels ?? {}],
  ["metadata.annotations", ownAnnotations],
  ["metadata.finalizers", d => d.metadata?.finalizers ?? []],
  ["metadata.ownerReferences", d => d.metadata?.ownerReferences ?? []],
];

function metadataChange(stored: Device, incoming: Device): string | undefined {
  return PROTECTED_METADATA.find(
    ([, read]) => !isDeepStrictEqual(read(stored), read(incoming)),
  )?.[0];
}

function twinViolation(
  stored: Device,
  twin: DeviceTwin,
  declared: Set<string>,
  model: string,
): string | undefined {
  const name = twin.propertyName;
  if (!declared.has(name ?? "")) {
    return `reports property ${JSON.stringify(name)}, which DeviceModel ${model} does not declare`;
  }
  if (twin.desired === undefined) return undefined;
  const old = stored.status?.twins?.find(t => t.propertyName === name)?.desired;
  return isDeepStrictEqual(old, twin.desired)
    ? undefined
    : `may not change the desired value of ${name} (only reported values, state and lastOnlineTime)`;
}

/**
 * Why node `node` may not make this write, or undefined when it only touches what a node owns.
 * Omitted twins and omitted desired values are fine: the rebuild keeps the stored ones.
 * `declared` holds the property names of the device's model.
 */
export function nodeWriteViolation(
  node: string,
  stored: Device,
  incoming: Device,
  declared: Set<string>,
): string | undefined {
  const id = `${stored.metadata?.namespace}/${stored.metadata?.name}`;
  const why = objectViolation(node, stored, incoming) ?? twinsViolation(stored, incoming, declared);
  return why ? `node ${node} may not write Device ${id}: ${why}` : undefined;
}

function objectViolation(node: string, stored: Device, incoming: Device): string | undefined {
  const owner = boundNode(stored);
  if (owner !== node) return `it is bound to node ${owner ?? "(none)"}`;
  if (!isDeepStrictEqual(stored.spec ?? {}, incoming.spec ?? {}))
    return "nodes may not change spec";
  const meta = metadataChange(stored, incoming);
  return meta ? `nodes may not change ${meta}` : undefined;
}

function twinsViolation(
  stored: Device,
  incoming: Device,
  declared: Set<string>,
): string | undefined {
  const model = stored.spec?.deviceModelRef?.name ?? "(none)";
  for (const twin of incoming.status?.twins ?? []) {
    const why = twinViolation(stored, twin, declared, model);
    if (why) return `it ${why}`;
  }
  return undefined;
}

/** The stored Device with the node's reported values, state and last-online time applied. */
export function rebuildNodeWrite(stored: Device, incoming: Device): Device {
  const out = structuredClone(stored);
  const inc = incoming.status ?? {};
  const status = { ...(out.status ?? {}) };
  status.twins = mergeReported(status.twins ?? [], inc.twins ?? []);
  if (inc.state !== undefined) status.state = inc.state;
  if (inc.lastOnlineTime !== undefined) status.lastOnlineTime = inc.lastOnlineTime;
  out.status = status;
  return out;
}

/**
 * The validating side: the write must pass the same checks and, after the rebuild, still carry
 * every stored desired value (else the mutating step did not run and the write would drop them).
 */
export function nodeWriteDenial(
  node: string,
  stored: Device,
  incoming: Device,
  declared: Set<string>,
): string | undefined {
  const why = nodeWriteViolation(node, stored, incoming, declared);
  if (why) return why;
  for (const old of stored.status?.twins ?? []) {
    if (!old.desired) continue;
    const now = incoming.status?.twins?.find(t => t.propertyName === old.propertyName)?.desired;
    if (!isDeepStrictEqual(now, old.desired)) {
      return `node ${node} may not write Device ${stored.metadata?.namespace}/${stored.metadata?.name}: it would drop the desired value of ${old.propertyName}`;
    }
  }
  return undefined;
}

export function nodeOperationDenial(
  node: string,
  operation: string,
  kind: string,
  id: string,
): string {
  const verb = operation.toLowerCase();
  return `node ${node} may not ${verb} ${kind} ${id}: nodes may only patch reported values, state and lastOnlineTime of Devices bound to them`;
}
