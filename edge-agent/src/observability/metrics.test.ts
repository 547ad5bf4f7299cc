import { describe, expect, it } from "vitest";
import { MetricsRegistry } from "./metrics.js";

describe("MetricsRegistry", () => {
  it("renders counters with labels and collected gauges in Prometheus text format", () => {
    const m = new MetricsRegistry();
    const c = m.counter("x_total", "X things");
    c.inc({ kind: "event" });
    c.inc({ kind: "event" }, 2);
    c.inc({ kind: 'we"ird' });
    let depth = 7;
    m.gauge("depth", "Depth", () => depth);
    m.gauge("idle", "Never set");
    depth = 9;
    expect(m.render()).toBe(
      [
        "# HELP x_total X things",
        "# TYPE x_total counter",
        'x_total{kind="event"} 3',
        'x_total{kind="we\\"ird"} 1',
        "# HELP depth Depth",
        "# TYPE depth gauge",
        "depth 9",
        "# HELP idle Never set",
        "# TYPE idle gauge",
        "idle 0",
        "",
      ].join("\n"),
    );
    expect(m.counter("x_total", "again")).toBe(c);
  });
});
