/**
 * Which node a Device is bound to. KubeEdge binds with a core/v1 NodeSelector naming one node:
 * matchExpressions with key "" or kubernetes.io/hostname, or matchFields on metadata.name,
 * operator In, exactly one value. The mutating webhook mirrors the result into a label; the
 * selector stays the truth, the label is the fallback (e.g. objects admitted before the module).
 */
import { DEVICE_NODE_LABEL } from "@kubeedge-ts/contract";
import type { DeviceLike, NodeSelectorRequirement } from "./types.js";

const NODE_KEYS = new Set(["", "kubernetes.io/hostname", "metadata.name"]);

function nodeFromRequirement(req: NodeSelectorRequirement | undefined): string | undefined {
  if (!req || !NODE_KEYS.has(req.key ?? "") || req.operator !== "In") return undefined;
  return req.values?.length === 1 && req.values[0] ? req.values[0] : undefined;
}

type Term = {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
};

function nodeFromTerm(term: Term | undefined): string | undefined {
  return (
    nodeFromRequirement(term?.matchExpressions?.[0]) ?? nodeFromRequirement(term?.matchFields?.[0])
  );
}

export function boundNode(device: DeviceLike): string | undefined {
  const fromSelector = nodeFromTerm(device.spec?.nodeSelector?.nodeSelectorTerms?.[0]);
  return fromSelector ?? device.metadata?.labels?.[DEVICE_NODE_LABEL] ?? undefined;
}

export function deviceId(device: DeviceLike): string {
  return `${device.metadata?.namespace ?? ""}/${device.metadata?.name ?? ""}`;
}
