import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Cri } from "../cri/client.js";
import { removePodDirectory } from "../volumes/pod-volumes.js";
import type { PodRuntime } from "./runtime-view.js";

export interface PodRef {
  namespace: string;
  name: string;
  uid: string;
}

/**
 * Takes a pod off the node: stops its containers (within a grace period), stops and removes its
 * sandboxes, removes its volumes and logs (kubelet removes both with the pod), and has every
 * per-pod record (back-offs, probes, tokens, timings, image pulls) forget it. The same steps
 * serve a pod deleted in the cloud and a sandbox no stored pod owns any more.
 */
export class PodTeardown {
  constructor(
    private readonly cri: Cri,
    private readonly dirs: { podsRoot: string; logRoot: string },
    /** Each per-pod record's forget(uid). */
    private readonly forgetters: ((uid: string) => void)[],
  ) {}

  /** `graceSeconds` undefined: each container's own grace period from its labels. */
  async remove(pod: PodRef, rt: PodRuntime | undefined, graceSeconds?: number): Promise<void> {
    await this.stopAll(rt, graceSeconds);
    removePodDirectory(this.dirs.podsRoot, pod.uid);
    const logs = join(this.dirs.logRoot, `${pod.namespace}_${pod.name}_${pod.uid}`);
    rmSync(logs, { recursive: true, force: true });
    for (const forget of this.forgetters) forget(pod.uid);
  }

  private async stopAll(rt: PodRuntime | undefined, grace: number | undefined): Promise<void> {
    if (!rt) return;
    const running = rt.containers.filter(c => c.state === "CONTAINER_RUNNING");
    await Promise.all(
      running.map(c => this.cri.stopContainer(c.id, grace ?? c.gracePeriodSeconds)),
    );
    for (const s of rt.sandboxes) {
      await this.cri.stopPodSandbox(s.id);
      await this.cri.removePodSandbox(s.id);
    }
  }
}
