import { describe, expect, it } from "vitest";
import { MetricsRegistry } from "./metrics.js";
import { registerProcessMetrics } from "./process-metrics.js";

describe("registerProcessMetrics", () => {
  it("reports this process's RSS and V8 heap, with the heap inside the RSS", () => {
    const m = new MetricsRegistry();
    registerProcessMetrics(m);
    const text = m.render();
    const value = (name: string): number =>
      Number(new RegExp(`^${name} (\\d+)$`, "m").exec(text)?.[1] ?? Number.NaN);
    const rss = value("process_resident_memory_bytes");
    const used = value("nodejs_heap_size_used_bytes");
    expect(rss).toBeGreaterThan(10 * 2 ** 20);
    expect(used).toBeGreaterThan(0);
    expect(used).toBeLessThanOrEqual(value("nodejs_heap_size_total_bytes"));
    expect(value("nodejs_heap_size_total_bytes")).toBeLessThan(rss);
    expect(value("nodejs_external_memory_bytes")).toBeGreaterThan(0);
  });
});
