/**
 * A small Prometheus registry: counters, gauges and histograms with labels, rendered in the text
 * exposition format (version 0.0.4). Enough for the gateway's own metrics without a dependency.
 */

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

type LabelValues<L extends string> = Readonly<Record<L, string>>;

interface Metric {
  render(): string[];
}

abstract class LabelledMetric<L extends string, V> implements Metric {
  protected readonly series = new Map<string, { labels: LabelValues<L>; value: V }>();

  constructor(
    readonly name: string,
    private readonly help: string,
    private readonly type: 'counter' | 'histogram',
    private readonly labelNames: readonly L[],
  ) {}

  protected entry(labels: LabelValues<L>, initial: () => V): { labels: LabelValues<L>; value: V } {
    const key = this.labelNames.map((name) => labels[name]).join('\u0000');
    let entry = this.series.get(key);
    if (!entry) {
      entry = { labels: { ...labels }, value: initial() };
      this.series.set(key, entry);
    }
    return entry;
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
    for (const { labels, value } of this.series.values()) lines.push(...this.renderSeries(labels, value));
    return lines;
  }

  protected abstract renderSeries(labels: LabelValues<L>, value: V): string[];
}

export class Counter<L extends string = never> extends LabelledMetric<L, { count: number }> {
  constructor(name: string, help: string, labelNames: readonly L[] = []) {
    super(name, help, 'counter', labelNames);
  }

  inc(labels: LabelValues<L>, by = 1): void {
    this.entry(labels, () => ({ count: 0 })).value.count += by;
  }

  protected renderSeries(labels: LabelValues<L>, value: { count: number }): string[] {
    return [`${this.name}${formatLabels(labels)} ${value.count}`];
  }
}

interface HistogramState {
  /** Per bucket, observations at or below its bound (not cumulative until rendered). */
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram<L extends string = never> extends LabelledMetric<L, HistogramState> {
  constructor(
    name: string,
    help: string,
    labelNames: readonly L[],
    private readonly buckets: readonly number[],
  ) {
    super(name, help, 'histogram', labelNames);
  }

  observe(labels: LabelValues<L>, value: number): void {
    const state = this.entry(labels, () => ({ counts: this.buckets.map(() => 0), sum: 0, count: 0 })).value;
    const bucket = this.buckets.findIndex((bound) => value <= bound);
    if (bucket >= 0) state.counts[bucket]! += 1;
    state.sum += value;
    state.count += 1;
  }

  protected renderSeries(labels: LabelValues<L>, state: HistogramState): string[] {
    let cumulative = 0;
    const lines = this.buckets.map((bound, index) => {
      cumulative += state.counts[index]!;
      return `${this.name}_bucket${formatLabels({ ...labels, le: String(bound) })} ${cumulative}`;
    });
    lines.push(`${this.name}_bucket${formatLabels({ ...labels, le: '+Inf' })} ${state.count}`);
    lines.push(`${this.name}_sum${formatLabels(labels)} ${state.sum}`);
    lines.push(`${this.name}_count${formatLabels(labels)} ${state.count}`);
    return lines;
  }
}

/** A value read when scraped (open connections, memory), rather than counted as it happens. */
export class Gauge implements Metric {
  constructor(
    readonly name: string,
    private readonly help: string,
    private readonly read: () => number,
  ) {}

  render(): string[] {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`, `${this.name} ${this.read()}`];
  }
}

export class MetricsRegistry {
  private readonly metrics: Metric[] = [];

  register<M extends Metric>(metric: M): M {
    this.metrics.push(metric);
    return metric;
  }

  /** The exposition text for a scrape. */
  render(): string {
    return `${this.metrics.flatMap((metric) => metric.render()).join('\n')}\n`;
  }
}

function formatLabels(labels: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabelValue(value)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}
