import type { Cri } from "../cri/client.js";
import type { ContainerSpec } from "../pod.js";
import type { Backoff } from "./backoff.js";
import type { Waiting } from "./plan.js";

/** kubelet's default pull policy: Always for `:latest` or no tag, IfNotPresent otherwise. */
export function pullPolicy(c: ContainerSpec): "Always" | "IfNotPresent" | "Never" {
  if (c.imagePullPolicy) return c.imagePullPolicy;
  const tagged = /:[^/]+$/.test(c.image.replace(/@.*$/, ""));
  return !tagged || c.image.endsWith(":latest") ? "Always" : "IfNotPresent";
}

/**
 * Makes sure a container's image is present, pulling it by the pull policy. A failed pull is
 * ErrImagePull; the next tries wait out the back-off (ImagePullBackOff) so an absent image
 * costs one pull per back-off step, not one per sync.
 */
export class ImagePuller {
  private readonly failedAt = new Map<string, number>();

  constructor(
    private readonly cri: Cri,
    private readonly backoff: Backoff,
    private readonly now: () => number,
  ) {}

  /** undefined when the image is there; else why the container waits. */
  async ensure(podUid: string, c: ContainerSpec): Promise<Waiting | undefined> {
    const policy = pullPolicy(c);
    const present = policy === "Always" ? undefined : await this.cri.imageStatus(c.image);
    if (present) return undefined;
    if (policy === "Never") {
      return {
        reason: "ErrImageNeverPull",
        message: `Container image "${c.image}" is not present with pull policy of Never`,
      };
    }
    const key = `${podUid}/${c.image}`;
    const wait = this.backoff.remainingMs(key, this.failedAt.get(key) ?? 0, 0, this.now());
    if (wait > 0) {
      return { reason: "ImagePullBackOff", message: `Back-off pulling image "${c.image}"` };
    }
    try {
      await this.cri.pullImage(c.image);
      this.backoff.forget(key);
      this.failedAt.delete(key);
      return undefined;
    } catch (error) {
      this.backoff.retried(key);
      this.failedAt.set(key, this.now());
      const message = `Failed to pull image "${c.image}": ${(error as Error).message}`;
      return { reason: "ErrImagePull", message };
    }
  }

  forget(podUid: string): void {
    this.backoff.forget(`${podUid}/`);
    for (const key of this.failedAt.keys())
      if (key.startsWith(`${podUid}/`)) this.failedAt.delete(key);
  }
}
