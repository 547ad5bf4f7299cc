import type { Logger } from "pino";
import { malformedPodRef, type Pod } from "../pod.js";

/**
 * Pods in the store that edged cannot run (the cache was fuzzed, a newer API field broke the
 * parse): each version is logged once, with an Event naming it when it has a name, and the
 * other pods go on.
 */
export class MalformedPods {
  private readonly seen = new Set<string>();

  constructor(
    private readonly log: Logger,
    private readonly reportEvent: (
      pod: Pick<Pod, "metadata">,
      reason: string,
      message: string,
    ) => void,
  ) {}

  note(raw: unknown, error: string): void {
    const ref = malformedPodRef(raw);
    const key = `${ref.uid || ref.name}/${ref.resourceVersion}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.log.warn({ pod: ref.name, error }, "cannot run a malformed pod; skipped");
    if (ref.name === "") return;
    const metadata = { name: ref.name, namespace: ref.namespace, uid: ref.uid };
    this.reportEvent({ metadata }, "MalformedPod", `cannot run this pod: ${error}`);
  }
}
