/**
 * Metrics on the hot path (every request, every check), counted in plain numbers and turned into
 * Prometheus series only when scraped. prom-client's own histogram and counter convert, validate and
 * hash the labels on every observation, also through a bound child (`labels(…)`): about a twentieth
 * of a check's server time in the profile of decision 0018. These objects sit in the same prom-client
 * registry, which reads them like its own (`get()` in prom-client's metric shape), so `/metrics`
 * is unchanged.
 */
import type { Registry } from 'prom-client';

type Labels = Record<string, string>;
interface MetricValue { metricName?: string; labels: Record<string, string | number>; value: number }
interface MetricObject { name: string; help: string; type: 'histogram' | 'counter'; values: MetricValue[]; aggregator: 'sum' }

/** One label set's counts, its labels made once. */
export interface HistogramSeries { labels: Labels; buckets: Float64Array; sum: number; count: number }
export interface CounterSeries { labels: Labels; value: number }

/**
 * Series found by their label values, one Map per label in `names` order: no key string is built
 * and no label object made per observation (the labels of a series are made once, when it is new).
 */
class SeriesByLabels<S> {
  private readonly root = new Map<string, unknown>();
  readonly all: S[] = [];
  constructor(private readonly names: readonly string[], private readonly make: (labels: Labels) => S) {}

  of(values: readonly string[]): S {
    if (values.length !== this.names.length) throw new Error(`expected ${this.names.length} label values`);
    let node = this.root;
    const last = values.length - 1;
    for (let i = 0; i < last; i++) {
      let next = node.get(values[i]!) as Map<string, unknown> | undefined;
      if (!next) node.set(values[i]!, (next = new Map()));
      node = next;
    }
    let s = node.get(values[last]!) as S | undefined;
    if (s === undefined) {
      const labels: Labels = {};
      this.names.forEach((n, i) => { labels[n] = values[i]!; });
      node.set(values[last]!, (s = this.make(labels)));
      this.all.push(s);
    }
    return s;
  }

  clear(): void { this.root.clear(); this.all.length = 0; }
}

export class HotHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly found: SeriesByLabels<HistogramSeries>;

  constructor(readonly name: string, readonly help: string, labelNames: readonly string[], private readonly bounds: readonly number[], registry: Registry) {
    this.found = new SeriesByLabels(labelNames, (labels) => ({ labels, buckets: new Float64Array(bounds.length), sum: 0, count: 0 }));
    registry.registerMetric(this as never);
  }

  /** The series of these label values (in the order of the label names), made the first time. */
  series(...values: string[]): HistogramSeries { return this.found.of(values); }

  observe(s: HistogramSeries, value: number): void {
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]!) { s.buckets[i]! += 1; break; }
    }
    s.sum += value;
    s.count += 1;
  }

  async get(): Promise<MetricObject> {
    const values: MetricValue[] = [];
    const bucket = `${this.name}_bucket`;
    for (const s of this.found.all) {
      let cumulative = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        cumulative += s.buckets[i]!;
        values.push({ metricName: bucket, labels: { le: this.bounds[i]!, ...s.labels }, value: cumulative });
      }
      values.push({ metricName: bucket, labels: { le: '+Inf', ...s.labels }, value: s.count });
      values.push({ metricName: `${this.name}_sum`, labels: s.labels, value: s.sum });
      values.push({ metricName: `${this.name}_count`, labels: s.labels, value: s.count });
    }
    return { name: this.name, help: this.help, type: 'histogram', values, aggregator: 'sum' };
  }

  reset(): void { this.found.clear(); }
}

export class HotCounter {
  readonly type = 'counter';
  readonly aggregator = 'sum';
  private readonly found: SeriesByLabels<CounterSeries>;

  constructor(readonly name: string, readonly help: string, labelNames: readonly string[], registry: Registry) {
    this.found = new SeriesByLabels(labelNames, (labels) => ({ labels, value: 0 }));
    registry.registerMetric(this as never);
  }

  /** The series of these label values (in the order of the label names), made the first time. */
  series(...values: string[]): CounterSeries { return this.found.of(values); }

  inc(s: CounterSeries): void { s.value += 1; }

  async get(): Promise<MetricObject> {
    return { name: this.name, help: this.help, type: 'counter', values: this.found.all.map((s) => ({ labels: s.labels, value: s.value })), aggregator: 'sum' };
  }

  reset(): void { this.found.clear(); }
}
