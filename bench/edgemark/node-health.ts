/**
 * Node health as the cloud sees it: Ready flaps from the Node objects (a node that was Ready and
 * then is not, whoever wrote it — the node lifecycle controller marks Unknown on a stale Lease)
 * and Lease renewal gaps from the Leases' renewTime. Lateness is the gap beyond the heartbeat
 * period; a miss is a gap of two periods or more (a renewal that did not happen at all).
 */
import type { KubeObject } from "../../edge-agent/src/kube/client.js";

interface Condition {
  type: string;
  status: string;
}

export class NodeHealth {
  private readonly ready = new Map<string, boolean>();
  private readonly everReady = new Set<string>();
  private readonly lastRenew = new Map<string, number>();
  readonly flaps: { node: string; at: number; status: string }[] = [];
  readonly latenessMs: number[] = [];
  misses = 0;
  renewals = 0;
  /** Gaps are recorded only while true (not during start-up or module restarts). */
  measuring = false;

  constructor(
    private readonly isHollow: (name: string) => boolean,
    private readonly heartbeatMs: number,
  ) {}

  onNode = (node: KubeObject, type: string, at: number): void => {
    const name = node.metadata.name;
    if (!this.isHollow(name) || type === "DELETED") return;
    const conditions = ((node.status as { conditions?: Condition[] })?.conditions ??
      []) as Condition[];
    const status = conditions.find(c => c.type === "Ready")?.status ?? "Unknown";
    const isReady = status === "True";
    if (isReady) this.everReady.add(name);
    if (this.ready.get(name) === true && !isReady) this.flaps.push({ node: name, at, status });
    this.ready.set(name, isReady);
  };

  onLease = (lease: KubeObject): void => {
    const name = lease.metadata.name;
    if (!this.isHollow(name)) return;
    const renewTime = (lease.spec as { renewTime?: string } | undefined)?.renewTime;
    if (!renewTime) return;
    const t = Date.parse(renewTime);
    const prev = this.lastRenew.get(name);
    this.lastRenew.set(name, t);
    if (prev === undefined || t <= prev) return;
    this.renewals++;
    if (!this.measuring) return;
    const gap = t - prev;
    this.latenessMs.push(Math.max(0, gap - this.heartbeatMs));
    if (gap >= 2 * this.heartbeatMs) this.misses++;
  };

  readyCount(): number {
    return [...this.ready.values()].filter(Boolean).length;
  }

  /** Nodes that were Ready at some point and are not now. */
  notReadyNow(): string[] {
    return [...this.everReady].filter(n => this.ready.get(n) !== true);
  }
}
