import type { MetricsRegistry } from "./metrics.js";

/**
 * Where the agent's memory is, read at scrape time: the resident set, V8's heap (used and
 * reserved) and what V8 knows is held outside it (Buffers). The rest of the RSS is native:
 * Node's own code and data, SQLite, TLS. Names as Prometheus' client libraries use them.
 */
export function registerProcessMetrics(metrics: MetricsRegistry): void {
  metrics.gauge("process_resident_memory_bytes", "Resident memory (RSS) in bytes", () =>
    process.memoryUsage.rss(),
  );
  metrics.gauge(
    "nodejs_heap_size_used_bytes",
    "V8 heap in use, bytes",
    () => process.memoryUsage().heapUsed,
  );
  metrics.gauge(
    "nodejs_heap_size_total_bytes",
    "V8 heap reserved, bytes",
    () => process.memoryUsage().heapTotal,
  );
  metrics.gauge(
    "nodejs_external_memory_bytes",
    "Memory V8 knows is held outside its heap (Buffers, ArrayBuffers), bytes",
    () => process.memoryUsage().external,
  );
}
