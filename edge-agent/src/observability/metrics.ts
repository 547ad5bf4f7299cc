/**
 * A small Prometheus registry (counters, gauges and histograms with labels, text format 0.0.4). The agent
 * needs a handful of series; prom-client would cost several MB of RSS on a Pi-class node.
 */

type Labels = Record<string, string>;

interface Series {
  labels: Labels;
  value: number;
}

abstract class Metric {
  protected readonly series = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: "counter" | "gauge" | "histogram",
  ) {}

  protected slot(labels: Labels): Series {
    const key = JSON.stringify(Object.entries(labels).sort());
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { labels, value: 0 }));
    return s;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
    if (this.series.size === 0) lines.push(`${this.name} 0`);
    for (const s of this.series.values())
      lines.push(`${this.name}${fmtLabels(s.labels)} ${s.value}`);
    return lines.join("\n");
  }
}

export class Counter extends Metric {
  constructor(name: string, help: string) {
    super(name, help, "counter");
  }

  inc(labels: Labels = {}, by = 1): void {
    this.slot(labels).value += by;
  }

  get(labels: Labels = {}): number {
    return this.slot(labels).value;
  }
}

export class Gauge extends Metric {
  private collector?: () => number;

  constructor(name: string, help: string, collect?: () => number) {
    super(name, help, "gauge");
    this.collector = collect;
  }

  set(value: number, labels: Labels = {}): void {
    this.slot(labels).value = value;
  }

  get(labels: Labels = {}): number {
    return this.slot(labels).value;
  }

  override render(): string {
    if (this.collector) this.set(this.collector());
    return super.render();
  }
}

/** Upper bounds (seconds) for latencies from milliseconds to a minute. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

interface HistogramSeries {
  labels: Labels;
  /** Per bucket (not cumulative; summed when rendered), then +Inf. */
  counts: number[];
  sum: number;
  count: number;
}

/** Observations counted into fixed buckets, rendered cumulatively as Prometheus expects. */
export class Histogram extends Metric {
  private readonly hseries = new Map<string, HistogramSeries>();

  constructor(
    name: string,
    help: string,
    readonly buckets: readonly number[] = LATENCY_BUCKETS,
  ) {
    super(name, help, "histogram");
  }

  observe(value: number, labels: Labels = {}): void {
    const key = JSON.stringify(Object.entries(labels).sort());
    let s = this.hseries.get(key);
    if (!s) {
      s = { labels, counts: new Array<number>(this.buckets.length + 1).fill(0), sum: 0, count: 0 };
      this.hseries.set(key, s);
    }
    const i = this.buckets.findIndex(b => value <= b);
    s.counts[i === -1 ? this.buckets.length : i]! += 1;
    s.sum += value;
    s.count += 1;
  }

  /** Observations and their sum for these labels (tests, benches). */
  get(labels: Labels = {}): { count: number; sum: number } {
    const s = this.hseries.get(JSON.stringify(Object.entries(labels).sort()));
    return { count: s?.count ?? 0, sum: s?.sum ?? 0 };
  }

  override render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const s of this.hseries.values()) {
      let cumulative = 0;
      const bounds = [...this.buckets.map(String), "+Inf"];
      bounds.forEach((le, i) => {
        cumulative += s.counts[i]!;
        lines.push(`${this.name}_bucket${fmtLabels({ ...s.labels, le })} ${cumulative}`);
      });
      lines.push(`${this.name}_sum${fmtLabels(s.labels)} ${s.sum}`);
      lines.push(`${this.name}_count${fmtLabels(s.labels)} ${s.count}`);
    }
    return lines.join("\n");
  }
}

export class MetricsRegistry {
  private readonly metrics = new Map<string, Metric>();

  counter(name: string, help: string): Counter {
    return this.register(name, () => new Counter(name, help)) as Counter;
  }

  /** A gauge; with `collect`, its value is read at scrape time. */
  gauge(name: string, help: string, collect?: () => number): Gauge {
    return this.register(name, () => new Gauge(name, help, collect)) as Gauge;
  }

  /** A histogram; `buckets` are upper bounds in the observed unit (default: latency seconds). */
  histogram(name: string, help: string, buckets?: readonly number[]): Histogram {
    return this.register(name, () => new Histogram(name, help, buckets)) as Histogram;
  }

  render(): string {
    return [...this.metrics.values()].map(m => m.render()).join("\n") + "\n";
  }

  private register(name: string, create: () => Metric): Metric {
    let m = this.metrics.get(name);
    if (!m) this.metrics.set(name, (m = create()));
    return m;
  }
}

function fmtLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return "";
  const body = entries
    .map(
      ([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`,
    )
    .join(",");
  return `{${body}}`;
}
