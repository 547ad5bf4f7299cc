/**
 * Kubernetes Events for what the reconciler cannot fix by itself (a failing write, a profile
 * over the size budget, a device without model or node). Repeats of the same message on the same
 * object are suppressed for a while so a retry loop does not flood the Event store.
 */
import { KubeClient, paths } from "./kube-client.js";

export interface EventTarget {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** Events of a Namespace go into that namespace, where `kubectl get events -n` shows them. */
function eventNamespace(target: EventTarget): string {
  if (target.kind === "Namespace") return target.name;
  // Events of other cluster-scoped objects (Nodes) live in "default", as kubelet's do.
  return target.namespace ?? "default";
}

const COMPONENT = "kubeedge-ts-profiles";
const REPEAT_AFTER_MS = 60_000;

export class EventRecorder {
  readonly #last = new Map<string, number>();

  constructor(private readonly client: KubeClient) {}

  async record(
    target: EventTarget,
    type: "Normal" | "Warning",
    reason: string,
    message: string,
  ): Promise<void> {
    const key = `${target.kind}/${target.namespace}/${target.name}/${reason}/${message}`;
    const last = this.#last.get(key);
    if (last !== undefined && Date.now() - last < REPEAT_AFTER_MS) return;
    this.#last.set(key, Date.now());
    const ns = eventNamespace(target);
    const now = new Date().toISOString();
    await this.client.create(paths.events(ns), {
      apiVersion: "v1",
      kind: "Event",
      metadata: { generateName: `${target.name}.`, namespace: ns },
      // The apiserver requires involvedObject.namespace to match the Event's namespace.
      involvedObject: target.kind === "Namespace" ? { ...target, namespace: ns } : target,
      type,
      reason,
      message: message.slice(0, 1024),
      source: { component: COMPONENT },
      reportingComponent: COMPONENT,
      reportingInstance: COMPONENT,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    });
  }
}
