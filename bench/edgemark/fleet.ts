/**
 * The hollow fleet and its load: N hollow nodes in this process, each with its own node
 * identity; every R seconds each node's mapper reports a new value for each of its D devices
 * (nodes spread evenly over the period); the cloud changes desired values at a given rate.
 */
import { pino } from "pino";
import { pool } from "../cloud-cluster.js";
import { startHollowNode, type DeltaSeen, type HollowNode } from "./hollow-node.js";
import { deviceName, hollowNodeName, REPORTED_PROPERTY } from "./fleet-objects.js";

export interface FleetOptions {
  nodes: number;
  devicesPerNode: number;
  reportSeconds: number;
  heartbeatSeconds?: number;
  identity(node: string): string;
  onDelta(seen: DeltaSeen): void;
}

export interface Fleet {
  nodes: HollowNode[];
  /** Starts the mapper reports; `onReport` sees each (device, value) as it is handed over. */
  startReports(onReport: (device: string, value: string) => void): void;
  stopReports(): void;
  /** Devices each node's DeviceTwin has as members. */
  memberCounts(): number[];
  /** The agents' own counters summed over the fleet (watch restarts, reconnects, sends). */
  edgeCounters(): Map<string, number>;
  stop(): Promise<void>;
}

export async function startFleet(o: FleetOptions): Promise<Fleet> {
  const log = pino({ level: process.env.EDGEMARK_LOG_LEVEL ?? "error" });
  const names = Array.from({ length: o.nodes }, (_, i) => hollowNodeName(i));
  // Identities first: RSA key generation is synchronous and would stall running nodes.
  const kubeconfigs = names.map(name => o.identity(name));
  const nodes: HollowNode[] = new Array(o.nodes);
  await pool(
    names.map((name, i) => ({ name, i })),
    10,
    async ({ name, i }) => {
      nodes[i] = await startHollowNode({
        name,
        kubeconfig: kubeconfigs[i]!,
        log,
        heartbeatSeconds: o.heartbeatSeconds,
        onDelta: o.onDelta,
      });
    },
  );
  const timers: NodeJS.Timeout[] = [];
  return {
    nodes,
    startReports(onReport) {
      const periodMs = o.reportSeconds * 1000;
      nodes.forEach((node, i) => {
        let seq = 0;
        const report = (): void => {
          // 0..99 (the thermometer's range): unique per device for 100 report periods.
          const value = String(seq++ % 100);
          for (let j = 0; j < o.devicesPerNode; j++) {
            const device = deviceName(node.name, j);
            onReport(device, value);
            node.report(device, REPORTED_PROPERTY, value);
          }
        };
        const phase = (periodMs * i) / nodes.length;
        timers.push(
          setTimeout(() => {
            report();
            timers.push(setInterval(report, periodMs));
          }, phase),
        );
      });
    },
    stopReports() {
      for (const t of timers) clearTimeout(t);
      timers.length = 0;
    },
    memberCounts: () => nodes.map(n => n.twin.state?.size ?? 0),
    edgeCounters: () => sumCounters(nodes.map(n => n.agent.metrics.render())),
    stop: async () => {
      for (const t of timers) clearTimeout(t);
      await pool(nodes.filter(Boolean), 20, n => n.stop());
    },
  };
}

const EDGE_COUNTERS = [
  "kubeedge_edge_watch_restarts_total",
  "kubeedge_edge_cloud_reconnects_total",
  "kubeedge_edge_reports_sent_total",
  "kubeedge_edge_lease_renewals_total",
];

/** Sums the fleet's counters by metric and labels. */
export function sumCounters(texts: string[]): Map<string, number> {
  const sums = new Map<string, number>();
  for (const text of texts) {
    for (const line of text.split("\n")) {
      if (!EDGE_COUNTERS.some(c => line.startsWith(c))) continue;
      const at = line.lastIndexOf(" ");
      const key = line.slice(0, at);
      sums.set(key, (sums.get(key) ?? 0) + Number(line.slice(at + 1)));
    }
  }
  return sums;
}
