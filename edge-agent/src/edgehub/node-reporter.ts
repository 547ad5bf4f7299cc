import { EDGE_NODE_ROLE_LABEL, NODE_LEASE_NAMESPACE } from "@kubeedge-ts/contract";
import type { Logger } from "pino";
import type { EdgedConfig } from "../config/types.js";
import { ApiError, type KubeClient, type KubeObject } from "../kube/client.js";
import type { NodeRuntimeFacts } from "../edged/images/node-images.js";
import type { HostFacts } from "../util/host-facts.js";
import {
  buildLease,
  buildNode,
  buildNodeStatus,
  microTime,
  statusKey,
  storedAsReady,
  type NodeCondition,
} from "./node.js";

const LEASE_PATH = `/apis/coordination.k8s.io/v1/namespaces/${NODE_LEASE_NAMESPACE}/leases`;

/**
 * How often an unchanged Node status is sent anyway (the kubelet's nodeStatusReportFrequency
 * default). The Lease is the heartbeat the node lifecycle controller reads; a status PATCH every
 * update period wrote etcd and woke every Node watcher for nothing (bench/edgemark.ts figures in
 * docs/benchmarks.md).
 */
export const NODE_STATUS_REPORT_MS = 5 * 60_000;

/**
 * Registers the Node and keeps it alive: the Lease (heartbeat) and the Node status, sent when it
 * changed or every NODE_STATUS_REPORT_MS. Each call is idempotent, so a reconnect simply calls
 * `register` again.
 */
export class NodeReporter {
  private lease?: KubeObject;
  private nodeUid?: string;
  private conditions: NodeCondition[] = [];
  /** What edged last said of the container runtime (version, images). */
  runtime?: NodeRuntimeFacts;
  private lastSent?: { key: string; at: number };

  constructor(
    private readonly client: KubeClient,
    private readonly nodeName: string,
    private readonly host: HostFacts,
    private readonly edged: EdgedConfig,
    private readonly leaseDurationSeconds: number,
    private readonly log: Logger,
  ) {}

  /**
   * Creates the Node if missing and reports status: always the first time, after a reconnect
   * only when the stored Node is not Ready (the node lifecycle controller wrote Unknown while
   * the link was down) or the status changed or is due. Re-sending an unchanged status on every
   * reconnect cost a write per node per link flap (docs/benchmarks.md, edgemark). Returns the
   * Node as stored.
   */
  async register(): Promise<KubeObject> {
    const path = `/api/v1/nodes/${this.nodeName}`;
    let node: KubeObject;
    try {
      node = await this.client.get<KubeObject>(path);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
      node = await this.create();
    }
    this.nodeUid = node.metadata.uid;
    const status = node.status as { conditions?: NodeCondition[] } | undefined;
    this.conditions = status?.conditions ?? [];
    const force = this.lastSent === undefined || !storedAsReady(node);
    return (await this.updateStatus(force)) ?? node;
  }

  /**
   * PATCHes nodes/<name>/status (strategic merge: conditions merge by type) when it changed,
   * when the last one is NODE_STATUS_REPORT_MS old, or when `force`d. Resolves with the Node
   * as stored, or undefined when nothing was sent.
   */
  async updateStatus(force = false, now = Date.now()): Promise<KubeObject | undefined> {
    const status = buildNodeStatus(
      this.host,
      this.edged,
      new Date(now),
      this.conditions,
      this.runtime,
    );
    const key = statusKey(status);
    const last = this.lastSent;
    if (!force && last?.key === key && now - last.at < NODE_STATUS_REPORT_MS) return undefined;
    const node = await this.client.request<KubeObject>(
      "PATCH",
      `/api/v1/nodes/${this.nodeName}/status`,
      { body: { status }, contentType: "application/strategic-merge-patch+json" },
    );
    this.conditions = status.conditions as NodeCondition[];
    this.lastSent = { key, at: now };
    return node;
  }

  /** Renews Lease kube-node-lease/<node>, creating it when missing. */
  async renewLease(): Promise<void> {
    const now = new Date();
    if (!this.lease) {
      try {
        this.lease = await this.client.get<KubeObject>(`${LEASE_PATH}/${this.nodeName}`);
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 404)) throw error;
        const body = buildLease(this.nodeName, this.nodeUid, this.leaseDurationSeconds, now);
        this.lease = await this.client.request<KubeObject>("POST", LEASE_PATH, { body });
        return;
      }
    }
    const spec = {
      ...(this.lease.spec as object),
      holderIdentity: this.nodeName,
      leaseDurationSeconds: this.leaseDurationSeconds,
      renewTime: microTime(now),
    };
    try {
      this.lease = await this.client.request<KubeObject>("PUT", `${LEASE_PATH}/${this.nodeName}`, {
        body: { ...this.lease, spec },
      });
    } catch (error) {
      // A stale resourceVersion (409) or a deleted lease (404): start over on the next beat.
      if (error instanceof ApiError && (error.status === 409 || error.status === 404)) {
        this.lease = undefined;
      }
      throw error;
    }
  }

  private async create(): Promise<KubeObject> {
    const node = buildNode(this.nodeName, this.host, this.edged, new Date());
    try {
      return await this.client.request<KubeObject>("POST", "/api/v1/nodes", { body: node });
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        return this.client.get<KubeObject>(`/api/v1/nodes/${this.nodeName}`);
      }
      // NodeRestriction forbids a node to set node-role.kubernetes.io labels on itself; the
      // cloud's nodes capability adds the role label. Register without it.
      if (error instanceof ApiError && error.status === 403 && /label/i.test(error.message)) {
        this.log.warn(
          { label: EDGE_NODE_ROLE_LABEL, reason: error.message },
          "apiserver refused the edge role label from the node; registering without it",
        );
        delete node.metadata.labels?.[EDGE_NODE_ROLE_LABEL];
        return this.client.request<KubeObject>("POST", "/api/v1/nodes", { body: node });
      }
      throw error;
    }
  }
}
