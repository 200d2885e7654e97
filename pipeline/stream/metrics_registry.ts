/**
 * A small Prometheus metrics registry (text exposition format 0.0.4): counters, gauges and histograms with
 * labels, pure and allocation-light on the hot path.
 *
 * @module
 */

/** Label values by label name. */
export type Labels = Readonly<Record<string, string>>;

function escapeLabel(v: string): string {
  return v.replaceAll("\\", "\\\\").replaceAll("\n", "\\n").replaceAll('"', '\\"');
}

function labelText(labels: Labels, extra?: [string, string]): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  if (extra) parts.push(`${extra[0]}="${escapeLabel(extra[1])}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

function numberText(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "+Inf";
  if (n === -Infinity) return "-Inf";
  return String(n);
}

function labelKey(labels: Labels): string {
  let k = "";
  for (const name in labels) k += `${name}\u0000${labels[name]}\u0001`;
  return k;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

abstract class Metric<T> {
  readonly name: string;
  readonly help: string;
  protected readonly series = new Map<string, { labels: Labels; value: T }>();

  constructor(name: string, help: string) {
    if (!NAME.test(name)) {
      throw new TypeError(`Cannot register metric "${name}": not a Prometheus metric name`);
    }
    this.name = name;
    this.help = help;
  }

  protected entry(labels: Labels, init: () => T): { labels: Labels; value: T } {
    const key = labelKey(labels);
    let e = this.series.get(key);
    if (!e) this.series.set(key, e = { labels: { ...labels }, value: init() });
    return e;
  }

  abstract readonly type: string;
  abstract lines(out: string[]): void;
}

/** A monotonically increasing count. */
export class Counter extends Metric<number> {
  readonly type = "counter";

  inc(labels: Labels = {}, by = 1): void {
    if (by < 0) throw new RangeError(`Cannot decrease counter "${this.name}" by ${-by}`);
    this.entry(labels, () => 0).value += by;
  }

  /** Current value (0 when the series does not exist). */
  get(labels: Labels = {}): number {
    return this.series.get(labelKey(labels))?.value ?? 0;
  }

  lines(out: string[]): void {
    for (const { labels, value } of this.series.values()) {
      out.push(`${this.name}${labelText(labels)} ${numberText(value)}`);
    }
  }
}

/** A value that goes up and down. */
export class Gauge extends Metric<number> {
  readonly type = "gauge";

  set(value: number, labels: Labels = {}): void {
    this.entry(labels, () => 0).value = value;
  }

  get(labels: Labels = {}): number | undefined {
    return this.series.get(labelKey(labels))?.value;
  }

  lines(out: string[]): void {
    for (const { labels, value } of this.series.values()) {
      out.push(`${this.name}${labelText(labels)} ${numberText(value)}`);
    }
  }
}

interface HistogramData {
  counts: Float64Array;
  sum: number;
  count: number;
}

/** Observations counted into cumulative buckets (upper bounds), with their sum and count. */
export class Histogram extends Metric<HistogramData> {
  readonly type = "histogram";
  readonly buckets: readonly number[];

  constructor(name: string, help: string, buckets: readonly number[]) {
    super(name, help);
    if (buckets.length === 0 || buckets.some((b, i) => i > 0 && b <= buckets[i - 1])) {
      throw new RangeError(`Cannot register histogram "${name}": buckets must be increasing`);
    }
    this.buckets = buckets;
  }

  /** Records `value` `times` times (for observations of a whole batch at once). */
  observe(value: number, labels: Labels = {}, times = 1): void {
    const d =
      this.entry(labels, () => ({ counts: new Float64Array(this.buckets.length), sum: 0, count: 0 })).value;
    let lo = 0;
    let hi = this.buckets.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.buckets[mid] < value) lo = mid + 1;
      else hi = mid;
    }
    if (lo < this.buckets.length) d.counts[lo] += times;
    d.sum += value * times;
    d.count += times;
  }

  /** Count and sum of a series. */
  get(labels: Labels = {}): { count: number; sum: number } {
    const d = this.series.get(labelKey(labels))?.value;
    return { count: d?.count ?? 0, sum: d?.sum ?? 0 };
  }

  /** The value below which `q` (0–1) of the observations fall, as the bucket bound (null when empty). */
  quantile(q: number, labels: Labels = {}): number | null {
    const d = this.series.get(labelKey(labels))?.value;
    if (!d || d.count === 0) return null;
    const target = q * d.count;
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += d.counts[i];
      if (seen >= target) return this.buckets[i];
    }
    return Infinity;
  }

  lines(out: string[]): void {
    for (const { labels, value } of this.series.values()) {
      let cumulative = 0;
      for (let i = 0; i < this.buckets.length; i++) {
        cumulative += value.counts[i];
        out.push(
          `${this.name}_bucket${labelText(labels, ["le", numberText(this.buckets[i])])} ${cumulative}`,
        );
      }
      out.push(`${this.name}_bucket${labelText(labels, ["le", "+Inf"])} ${value.count}`);
      out.push(`${this.name}_sum${labelText(labels)} ${numberText(value.sum)}`);
      out.push(`${this.name}_count${labelText(labels)} ${value.count}`);
    }
  }
}

/** The metrics of one process, rendered together. */
export class MetricsRegistry {
  readonly #metrics = new Map<string, Metric<unknown>>();

  #add<M extends Metric<unknown>>(metric: M): M {
    if (this.#metrics.has(metric.name)) {
      throw new RangeError(`Cannot register metric "${metric.name}": it is already registered`);
    }
    this.#metrics.set(metric.name, metric);
    return metric;
  }

  counter(name: string, help: string): Counter {
    return this.#add(new Counter(name, help));
  }

  gauge(name: string, help: string): Gauge {
    return this.#add(new Gauge(name, help));
  }

  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    return this.#add(new Histogram(name, help, buckets));
  }

  /** Every metric in the Prometheus text format. */
  render(): string {
    const out: string[] = [];
    for (const m of this.#metrics.values()) {
      out.push(`# HELP ${m.name} ${m.help.replaceAll("\\", "\\\\").replaceAll("\n", "\\n")}`);
      out.push(`# TYPE ${m.name} ${m.type}`);
      m.lines(out);
    }
    return out.join("\n") + "\n";
  }
}
