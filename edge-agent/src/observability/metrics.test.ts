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

describe("Histogram", () => {
  it("renders cumulative buckets, sum and count per label set", () => {
    const m = new MetricsRegistry();
    const h = m.histogram("step_seconds", "Step time", [0.1, 1]);
    h.observe(0.05, { step: "a" });
    h.observe(0.5, { step: "a" });
    h.observe(3, { step: "a" });
    h.observe(1, { step: "b" });
    expect(h.get({ step: "a" })).toEqual({ count: 3, sum: 3.55 });
    expect(m.render()).toBe(
      [
        "# HELP step_seconds Step time",
        "# TYPE step_seconds histogram",
        'step_seconds_bucket{step="a",le="0.1"} 1',
        'step_seconds_bucket{step="a",le="1"} 2',
        'step_seconds_bucket{step="a",le="+Inf"} 3',
        'step_seconds_sum{step="a"} 3.55',
        'step_seconds_count{step="a"} 3',
        'step_seconds_bucket{step="b",le="0.1"} 0',
        'step_seconds_bucket{step="b",le="1"} 1',
        'step_seconds_bucket{step="b",le="+Inf"} 1',
        'step_seconds_sum{step="b"} 1',
        'step_seconds_count{step="b"} 1',
        "",
      ].join("\n"),
    );
    expect(m.histogram("step_seconds", "again")).toBe(h);
  });
});
