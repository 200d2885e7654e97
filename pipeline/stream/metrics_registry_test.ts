import assert from "node:assert/strict";
import { MetricsRegistry } from "./metrics_registry.ts";

Deno.test("MetricsRegistry.render() writes counters, gauges and histograms in the Prometheus text format", () => {
  const r = new MetricsRegistry();
  const c = r.counter("x_total", "Things.");
  const g = r.gauge("y", "Level.");
  const h = r.histogram("z_seconds", "Time.", [0.1, 1]);
  c.inc({ table: "orders" }, 2);
  c.inc({ table: "orders" });
  c.inc({ table: 'a"b' });
  g.set(5);
  h.observe(0.05);
  h.observe(0.5, {}, 2);
  h.observe(7);
  assert.equal(
    r.render(),
    [
      "# HELP x_total Things.",
      "# TYPE x_total counter",
      'x_total{table="orders"} 3',
      'x_total{table="a\\"b"} 1',
      "# HELP y Level.",
      "# TYPE y gauge",
      "y 5",
      "# HELP z_seconds Time.",
      "# TYPE z_seconds histogram",
      'z_seconds_bucket{le="0.1"} 1',
      'z_seconds_bucket{le="1"} 3',
      'z_seconds_bucket{le="+Inf"} 4',
      "z_seconds_sum 8.05",
      "z_seconds_count 4",
      "",
    ].join("\n"),
  );
});

Deno.test("Histogram.quantile() gives the bucket bound holding the quantile", () => {
  const h = new MetricsRegistry().histogram("h", "h", [1, 2, 4]);
  assert.equal(h.quantile(0.5), null);
  for (const v of [0.5, 1.5, 1.5, 3, 10]) h.observe(v);
  assert.equal(h.quantile(0.5), 2);
  assert.equal(h.quantile(0.99), Infinity);
});

Deno.test("MetricsRegistry rejects bad names, duplicates and negative increments", () => {
  const r = new MetricsRegistry();
  assert.throws(() => r.counter("bad-name", ""), TypeError);
  r.gauge("g", "");
  assert.throws(() => r.gauge("g", ""), RangeError);
  assert.throws(() => r.counter("c", "").inc({}, -1), RangeError);
  assert.throws(() => r.histogram("h", "", [2, 1]), RangeError);
});
