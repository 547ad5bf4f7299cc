/**
 * A small Prometheus registry (counters and gauges with labels, text format 0.0.4). The agent
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
    readonly type: "counter" | "gauge",
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

export class MetricsRegistry {
  private readonly metrics = new Map<string, Metric>();

  counter(name: string, help: string): Counter {
    return this.register(name, () => new Counter(name, help)) as Counter;
  }

  /** A gauge; with `collect`, its value is read at scrape time. */
  gauge(name: string, help: string, collect?: () => number): Gauge {
    return this.register(name, () => new Gauge(name, help, collect)) as Gauge;
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
