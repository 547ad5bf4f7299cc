import type { Counter, Gauge, MetricsRegistry } from "../observability/metrics.js";
import type { Outbox } from "../store/outbox.js";

/** What EdgeHub counts, exposed on /metrics. */
export interface EdgeHubMetrics {
  connected: Gauge;
  reconnects: Counter;
  watchRestarts: Counter;
  sent: Counter;
  deadLettered: Counter;
  credentialRefusals: Counter;
  heartbeats: Counter;
}

/** Registers EdgeHub's metrics, and the outbox gauges read at scrape time. */
export function edgeHubMetrics(metrics: MetricsRegistry, outbox: Outbox): EdgeHubMetrics {
  metrics.gauge("kubeedge_edge_outbox_depth", "Reports waiting in the outbox", () =>
    outbox.depth(),
  );
  metrics.gauge("kubeedge_edge_outbox_dead_letters", "Reports in the dead-letter table", () =>
    outbox.deadLetterCount(),
  );
  return {
    connected: metrics.gauge("kubeedge_edge_cloud_connected", "1 while EdgeHub is up"),
    reconnects: metrics.counter(
      "kubeedge_edge_cloud_reconnects_total",
      "EdgeHub session attempts after a drop",
    ),
    watchRestarts: metrics.counter(
      "kubeedge_edge_watch_restarts_total",
      "Watches restarted (relist after 410 Gone or errors)",
    ),
    sent: metrics.counter(
      "kubeedge_edge_reports_sent_total",
      "Outbox entries delivered to the apiserver",
    ),
    deadLettered: metrics.counter(
      "kubeedge_edge_reports_dead_lettered_total",
      "Outbox entries the apiserver refused for good, moved to the dead letters",
    ),
    credentialRefusals: metrics.counter(
      "kubeedge_edge_credential_refusals_total",
      "Reports refused with 401 or an RBAC 403 (drain paused, credentials re-read)",
    ),
    heartbeats: metrics.counter("kubeedge_edge_lease_renewals_total", "Lease renewals"),
  };
}
