/**
 * Gathers what the live view shows: the Devices of the namespace and the pods of the edge node
 * from the apiserver (as the admin), the cloud link and outbox from the agent's /metrics. When
 * the apiserver is away the last devices and pods are kept and the view says so.
 */
import { kubeRequest } from "../../local/kube/kube-request.js";
import type { AgentRow, DeviceRow, PodRow, Snapshot } from "./view.js";

interface DeviceJson {
  metadata: { name: string };
  status?: {
    state?: string;
    twins?: {
      propertyName: string;
      reported?: { value?: string; metadata?: { timestamp?: string } };
      desired?: { value?: string };
    }[];
  };
}

interface PodJson {
  metadata: { name: string };
  status?: {
    phase?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: { restartCount: number }[];
  };
}

export function deviceRow(d: DeviceJson): DeviceRow {
  return {
    name: d.metadata.name,
    state: d.status?.state,
    twins: (d.status?.twins ?? []).map(t => {
      const at = Number(t.reported?.metadata?.timestamp);
      return {
        property: t.propertyName,
        reported: t.reported?.value,
        desired: t.desired?.value || undefined,
        reportedAt: Number.isFinite(at) && at > 0 ? at : undefined,
      };
    }),
  };
}

export function podRow(p: PodJson): PodRow {
  return {
    name: p.metadata.name,
    phase: p.status?.phase ?? "Pending",
    ready: (p.status?.conditions ?? []).some(c => c.type === "Ready" && c.status === "True"),
    restarts: (p.status?.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0),
  };
}

/** Sum of a metric's samples in Prometheus text format (undefined when it is not there). */
export function metricValue(text: string, name: string): number | undefined {
  let sum: number | undefined;
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)/.exec(line);
    if (m?.[1] === name) sum = (sum ?? 0) + Number(m[3]);
  }
  return sum;
}

async function agentRow(metricsUrl: string): Promise<AgentRow> {
  try {
    const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(2000) });
    const text = await res.text();
    const connected = metricValue(text, "kubeedge_edge_cloud_connected");
    return {
      cloudConnected: connected === undefined ? undefined : connected > 0,
      outboxDepth: metricValue(text, "kubeedge_edge_outbox_depth"),
      podsRunning: metricValue(text, "kubeedge_edge_pods_running"),
    };
  } catch {
    return {};
  }
}

export interface SnapshotSource {
  kubeconfig: string;
  namespace: string;
  node: string;
  /** http://127.0.0.1:<port>/metrics of the edge agent. */
  metricsUrl: string;
}

export class SnapshotTaker {
  private last: Pick<Snapshot, "devices" | "pods"> = { devices: [], pods: [] };

  constructor(private readonly src: SnapshotSource) {}

  async take(): Promise<Snapshot> {
    const { kubeconfig, namespace, node } = this.src;
    const agent = await agentRow(this.src.metricsUrl);
    try {
      const [devices, pods] = await Promise.all([
        kubeRequest<{ items: DeviceJson[] }>(
          kubeconfig,
          "GET",
          `/apis/devices.kubeedge.io/v1alpha2/namespaces/${namespace}/devices`,
        ),
        kubeRequest<{ items: PodJson[] }>(
          kubeconfig,
          "GET",
          `/api/v1/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=${node}`)}`,
        ),
      ]);
      if (devices.status !== 200 || pods.status !== 200) throw new Error("apiserver refused");
      this.last = {
        devices: devices.body.items.map(deviceRow),
        pods: pods.body.items.map(podRow),
      };
      return { at: Date.now(), node, agent, apiserverDown: false, ...this.last };
    } catch {
      return { at: Date.now(), node, agent, apiserverDown: true, ...this.last };
    }
  }
}
