/**
 * Which node a Device is bound to: the one reading of it for admission, the node write
 * restriction and the profile builder. KubeEdge binds with a core/v1 NodeSelector naming one
 * node: the first term's one requirement, key "" or kubernetes.io/hostname (matchExpressions) or
 * metadata.name (matchFields), operator In, one value. Anything broader (labels, several values)
 * would put one device on several nodes, so admission refuses it with the reason.
 */
import { DEVICE_NODE_LABEL } from "@kubeedge-ts/contract";
import { problem, type Problem } from "./problems.js";

const EXPRESSION_KEYS = new Set(["", "kubernetes.io/hostname"]);
const FIELD_KEYS = new Set(["metadata.name"]);
/** A DNS-1123 subdomain, what Kubernetes accepts as a Node name. */
const NODE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export type Binding = { node: string } | { problem: Problem };

/** The parts of a Device its binding reads; generated Device objects and plain API objects fit. */
export interface BindableDevice {
  metadata?: { labels?: Record<string, string> };
  spec?: { nodeSelector?: { nodeSelectorTerms?: SelectorTerm[] } };
}

interface SelectorTerm {
  matchExpressions?: Requirement[];
  matchFields?: Requirement[];
}

interface Requirement {
  key?: string;
  operator?: string;
  values?: string[];
}

function fromRequirement(path: string, req: Requirement, keys: Set<string>): Binding {
  if (!keys.has(req.key ?? "")) {
    const allowed = [...keys].map(k => JSON.stringify(k)).join(" or ");
    return { problem: problem(`${path}.key`, `must be ${allowed} to name a node`, req.key) };
  }
  if (req.operator !== "In") {
    return { problem: problem(`${path}.operator`, "must be In to name a node", req.operator) };
  }
  const values = req.values ?? [];
  if (values.length !== 1) {
    return { problem: problem(`${path}.values`, "must hold exactly one node name", values) };
  }
  const node = values[0];
  if (node.length > 253 || !NODE_NAME.test(node)) {
    return { problem: problem(`${path}.values[0]`, "is not a valid node name", node) };
  }
  return { node };
}

/** Resolves `spec.nodeSelector` to one node name, or says why it does not. */
export function resolveNode(device: BindableDevice): Binding {
  const base = "spec.nodeSelector";
  const terms = device.spec?.nodeSelector?.nodeSelectorTerms;
  if (!terms)
    return { problem: problem(base, "is required: it names the edge node of the device") };
  if (terms.length !== 1) {
    return {
      problem: problem(`${base}.nodeSelectorTerms`, "must hold exactly one term", terms.length),
    };
  }
  const term = terms[0];
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length + fields.length !== 1) {
    return {
      problem: problem(
        `${base}.nodeSelectorTerms[0]`,
        "must hold exactly one requirement (matchExpressions or matchFields) naming the node",
      ),
    };
  }
  return exprs.length === 1
    ? fromRequirement(`${base}.nodeSelectorTerms[0].matchExpressions[0]`, exprs[0], EXPRESSION_KEYS)
    : fromRequirement(`${base}.nodeSelectorTerms[0].matchFields[0]`, fields[0], FIELD_KEYS);
}

/**
 * The node a stored Device is bound to. The mutating webhook mirrors the selector's node into a
 * label; the selector stays the truth, the label is the fallback (objects admitted before the
 * module, or whose selector a later rule no longer reads).
 */
export function boundNode(device: BindableDevice): string | undefined {
  const binding = resolveNode(device);
  return "node" in binding ? binding.node : device.metadata?.labels?.[DEVICE_NODE_LABEL];
}
