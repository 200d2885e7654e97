/**
 * The processor's metrics, exposed on `/metrics`.
 *
 * @module
 */
import { type Counter, type Gauge, type Histogram, MetricsRegistry } from "./metrics_registry.ts";

const LATENCY_BUCKETS = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30, 60, 300];
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30];

/** Every metric the processor updates, in one registry. */
export class StreamMetrics {
  readonly registry: MetricsRegistry = new MetricsRegistry();
  /** Change events read, per source table. */
  readonly eventsIn: Counter = this.registry.counter(
    "lakestream_events_in_total",
    "Change events read from the source, per source table.",
  );
  /** Rows written, per lake table and kind (upsert, delete). */
  readonly rowsOut: Counter = this.registry.counter(
    "lakestream_rows_out_total",
    "Rows upserted or deleted in lake tables, per table and kind.",
  );
  readonly batches: Counter = this.registry.counter(
    "lakestream_batches_total",
    "Batches committed, by how (new or replayed during recovery).",
  );
  readonly batchDuration: Histogram = this.registry.histogram(
    "lakestream_batch_duration_seconds",
    "Time from claiming a batch to every lake table holding it.",
    DURATION_BUCKETS,
  );
  readonly latency: Histogram = this.registry.histogram(
    "lakestream_end_to_end_latency_seconds",
    "Per change event: source commit time to the Delta commit of the batch holding it.",
    LATENCY_BUCKETS,
  );
  readonly sourceLag: Gauge = this.registry.gauge(
    "lakestream_source_lag_seconds",
    "Per source stream (checkpoint key, e.g. topic/partition): the commit time of the last batch holding events " +
      "from it minus the newest source commit among them. Unchanged while batches read no event from the stream " +
      "(an idle stream is not behind), so it does not grow with time.",
  );
  readonly stateBytes: Gauge = this.registry.gauge(
    "lakestream_state_bytes",
    "Size of the last operator state snapshot.",
  );
  readonly quarantined: Counter = this.registry.counter(
    "lakestream_quarantined_total",
    "Messages written to _quarantine: undecodable at the source, or rejected by the operators.",
  );
  readonly ignored: Counter = this.registry.counter(
    "lakestream_ignored_records_total",
    "Source records that change no table (heartbeats, transaction markers, tombstones, truncates), by kind.",
  );
  readonly conflicts: Counter = this.registry.counter(
    "lakestream_commit_conflicts_total",
    "Delta commit conflicts retried on a fresh snapshot, per table.",
  );
  readonly lastBatch: Gauge = this.registry.gauge("lakestream_last_batch", "Id of the last committed batch.");
  readonly tableVersion: Gauge = this.registry.gauge(
    "lakestream_table_version",
    "Delta version of each lake table after the last commit.",
  );
  readonly fenced: Counter = this.registry.counter(
    "lakestream_fenced_total",
    "Times this instance found another instance had claimed its next batch.",
  );
  readonly restarts: Counter = this.registry.counter(
    "lakestream_restarts_total",
    "Times the engine re-ran recovery after an error.",
  );
  readonly maintenance: Counter = this.registry.counter(
    "lakestream_maintenance_total",
    "Background lake health tasks, per table, task and outcome.",
  );
  readonly maintenanceDuration: Histogram = this.registry.histogram(
    "lakestream_maintenance_duration_seconds",
    "Duration of background lake health tasks.",
    DURATION_BUCKETS,
  );

  render(): string {
    return this.registry.render();
  }
}
