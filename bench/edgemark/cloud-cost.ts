/**
 * What the fleet costs the cloud: CPU and RSS of kube-apiserver, etcd and the module from
 * /proc, and the apiserver's own counters from /metrics (requests by verb and resource, open
 * watches). A window is two snapshots; rates are their difference over the elapsed time.
 */
import type { KubeClient } from "../../edge-agent/src/kube/client.js";
import { cpuSeconds, rssMiB } from "../proc.js";

export interface ProcessCost {
  cpuMsPerSecond: number;
  rssMiB: number;
}

export interface CostSnapshot {
  at: number;
  cpu: Record<string, number>;
  requests: Map<string, number>;
}

export interface CostWindow {
  seconds: number;
  processes: Record<string, ProcessCost>;
  /** Requests per second by `VERB resource`, busiest first (WATCH counts new watches). */
  requestRates: Record<string, number>;
  totalRequestRate: number;
}

/** `apiserver_request_total` summed by verb and resource. */
export function requestTotals(metricsText: string): Map<string, number> {
  const totals = new Map<string, number>();
  for (const line of metricsText.split("\n")) {
    if (!line.startsWith("apiserver_request_total{")) continue;
    const verb = /verb="([^"]*)"/.exec(line)?.[1] ?? "?";
    const resource = /resource="([^"]*)"/.exec(line)?.[1] ?? "";
    const sub = /subresource="([^"]*)"/.exec(line)?.[1];
    const key = `${verb} ${resource}${sub ? `/${sub}` : ""}`;
    totals.set(key, (totals.get(key) ?? 0) + Number(line.split(" ").pop()));
  }
  return totals;
}

/** Open watches: the apiserver's long-running WATCH requests, summed over resources. */
export function openWatches(metricsText: string): number {
  let sum = 0;
  for (const line of metricsText.split("\n")) {
    if (line.startsWith("apiserver_longrunning_requests{") && line.includes('verb="WATCH"')) {
      sum += Number(line.split(" ").pop());
    }
  }
  return sum;
}

export async function apiserverMetrics(client: KubeClient): Promise<string> {
  return client.get<string>("/metrics");
}

export async function snapshot(
  client: KubeClient,
  pids: Record<string, number>,
): Promise<CostSnapshot> {
  const cpu: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) cpu[name] = cpuSeconds(pid);
  const requests = requestTotals(await apiserverMetrics(client));
  return { at: Date.now(), cpu, requests };
}

export function costWindow(
  a: CostSnapshot,
  b: CostSnapshot,
  pids: Record<string, number>,
): CostWindow {
  const seconds = (b.at - a.at) / 1000;
  const processes: Record<string, ProcessCost> = {};
  for (const [name, pid] of Object.entries(pids)) {
    processes[name] = {
      cpuMsPerSecond: round1(((b.cpu[name]! - a.cpu[name]!) * 1000) / seconds),
      rssMiB: round1(rssMiB(pid)),
    };
  }
  const rates: [string, number][] = [];
  let total = 0;
  for (const [key, n] of b.requests) {
    const rate = (n - (a.requests.get(key) ?? 0)) / seconds;
    total += rate;
    if (rate >= 0.005) rates.push([key, Math.round(rate * 100) / 100]);
  }
  rates.sort((x, y) => y[1] - x[1]);
  return {
    seconds: round1(seconds),
    processes,
    requestRates: Object.fromEntries(rates),
    totalRequestRate: round1(total),
  };
}

const round1 = (n: number): number => Math.round(n * 10) / 10;
