import type { Cri } from "../cri/client.js";
import type { ContainerState, ContainerStatus } from "../cri/types.js";
import { Label } from "../spec/labels.js";
import { containerView, groupByPod, type PodRuntime } from "./runtime-view.js";

/**
 * Reads what the runtime runs for this node (kubelet's PLEG relist): two list calls, plus a
 * ContainerStatus only for containers whose state changed since the last relist (exit codes
 * and times are in the status, not the list).
 */
export class Relister {
  private readonly statuses = new Map<string, { state: ContainerState; status: ContainerStatus }>();

  constructor(
    private readonly cri: Cri,
    private readonly nodeName: string,
  ) {}

  async relist(podUid?: string): Promise<Map<string, PodRuntime>> {
    const labelSelector: Record<string, string> = { [Label.Node]: this.nodeName };
    if (podUid !== undefined) labelSelector[Label.PodUid] = podUid;
    const [sandboxes, containers] = await Promise.all([
      this.cri.listPodSandbox({ labelSelector }),
      this.cri.listContainers({ labelSelector }),
    ]);
    const seen = new Set<string>();
    const views = await Promise.all(
      containers.map(async c => {
        seen.add(c.id);
        let cached = this.statuses.get(c.id);
        if (!cached || cached.state !== c.state) {
          const status = await this.cri.containerStatus(c.id).catch(() => undefined);
          if (status) this.statuses.set(c.id, (cached = { state: c.state, status }));
        }
        return containerView(c, cached?.status);
      }),
    );
    if (podUid === undefined) {
      for (const id of this.statuses.keys()) if (!seen.has(id)) this.statuses.delete(id);
    }
    return groupByPod(sandboxes, views);
  }
}
