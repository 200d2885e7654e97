/**
 * The commit path of one batch, in-process: the engine (every operator) over an in-memory source of decoded
 * Debezium events (the benchmark's commerce load), its lake on MinIO (the local stack) or on local disk, every
 * object-store call traced. Per batch size it reports the wall time of `engine.step()` after the source has the
 * batch ready, the object-store calls a batch makes, and how many of them follow one another (the longest
 * chain of calls where each starts after the previous one ended: the round trips a batch waits for in
 * sequence). Decoding is done up front, so this isolates batching, operators, Parquet encoding and the commit
 * protocol from Kafka.
 *
 * Writes the section "stream-batch-commit" of bench/RESULTS.md.
 *
 * Usage: deno run -A bench/stream/batch_commit.ts [--lake minio|local] [--sizes 100,1000,10000]
 *        [--batches 20] [--customers 10000]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { DebeziumDecoder } from "../../pipeline/cdc/debezium_decoder.ts";
import { MemoryLog, MemorySource } from "../../pipeline/cdc/source/memory_source.ts";
import type { ObjectStore } from "../../pipeline/delta/storage/object_store.ts";
import { deleteS3Prefix, S3Store } from "../../pipeline/delta/storage/s3_store.ts";
import { S3Http, type S3Settings } from "../../pipeline/delta/storage/s3_http.ts";
import { LocalStore } from "../../pipeline/delta/storage/local_store.ts";
import { type Lake, openLake } from "../../pipeline/stream/lake.ts";
import { StreamEngine } from "../../pipeline/stream/stream_engine.ts";
import { stackEnv } from "../../scripts/stack/env.ts";
import { writeSection } from "../results.ts";
import { LoadStream } from "./load_stream.ts";
import { loadAverage } from "./process_sampler.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    lake: { type: "string", default: "minio" },
    sizes: { type: "string", default: "100,1000,10000" },
    batches: { type: "string", default: "20" },
    customers: { type: "string", default: "10000" },
    "no-write": { type: "boolean", default: false },
  },
});
const SIZES = values.sizes!.split(",").map(Number);
const BATCHES = Number(values.batches);
const CUSTOMERS = Number(values.customers);

/** One traced object-store call. */
interface Call {
  op: string;
  key: string;
  start: number;
  end: number;
}

/** Wraps a store so every call is appended to `calls`. */
function traced(store: ObjectStore, calls: Call[]): ObjectStore {
  const wrap = <T>(op: string, key: string, p: () => Promise<T>): Promise<T> => {
    const call = { op, key, start: performance.now(), end: 0 };
    calls.push(call);
    return p().finally(() => call.end = performance.now());
  };
  return {
    url: store.url,
    get: (key, range) => wrap("get", key, () => store.get(key, range)),
    head: (key) => wrap("head", key, () => store.head(key)),
    put: (key, bytes) => wrap("put", key, () => store.put(key, bytes)),
    putIfAbsent: (key, bytes) => wrap("putIfAbsent", key, () => store.putIfAbsent(key, bytes)),
    delete: (key) => wrap("delete", key, () => store.delete(key)),
    async *list(prefix, options) {
      const call = { op: "list", key: prefix, start: performance.now(), end: 0 };
      calls.push(call);
      try {
        yield* store.list(prefix, options);
      } finally {
        call.end = performance.now();
      }
    },
  };
}

/** The longest chain of calls that each start after the previous one ended (greedy by end time). */
export function sequentialDepth(calls: readonly Call[]): number {
  let depth = 0;
  let lastEnd = -Infinity;
  for (const c of [...calls].sort((a, b) => a.end - b.end)) {
    if (c.start >= lastEnd) {
      depth++;
      lastEnd = c.end;
    }
  }
  return depth;
}

function percentile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

const id = Date.now().toString(36);
const calls: Call[] = [];
let lake: Lake;
let cleanUp = async () => {};
if (values.lake === "minio") {
  const env = stackEnv({ services: ["minio"] });
  const s3: S3Settings = env.minio;
  const client = new S3Http(s3);
  const root = `bench-batch-${id}`;
  lake = openLake(`s3://${env.minio.bucket}/${root}`, (uri) => {
    const prefix = uri.slice(`s3://${env.minio.bucket}/`.length);
    return traced(new S3Store({ ...s3, bucket: env.minio.bucket, prefix }, client), calls);
  });
  cleanUp = async () => {
    await deleteS3Prefix(client, env.minio.bucket, `${root}/`);
  };
} else {
  const dir = await Deno.makeTempDir({ prefix: "bench-batch-" });
  lake = openLake(dir, (uri) => traced(new LocalStore(uri), calls));
  cleanUp = () => Deno.remove(dir, { recursive: true });
}

/** Decoded records of the load: the catalog and customers first, then the commerce mix. */
function records(customers: number, events: number): { initial: number; log: MemoryLog } {
  const stream = new LoadStream({ prefix: "lakestream", seed: 1 });
  const decoder = new DebeziumDecoder();
  const log = new MemoryLog();
  let ts = Date.now();
  const offsets = new Map<string, number>();
  const add = (ms: { topic: string; key: string; value: string | null }[]) => {
    for (const m of ms) {
      const offset = offsets.get(m.topic) ?? 0;
      offsets.set(m.topic, offset + 1);
      if (m.value !== null) {
        log.append(decoder.decode({ topic: m.topic, offset, key: m.key, value: m.value }));
      }
    }
  };
  add(stream.snapshot(customers, ts));
  const initial = log.entries.length;
  while (log.entries.length < initial + events) add(stream.next(ts++));
  return { initial, log };
}

const total = SIZES.reduce((n, s) => n + s * (BATCHES + 2), 0);
const { initial, log } = records(CUSTOMERS, total);
console.error(`records: ${initial} initial + ${log.entries.length - initial} mix; load ${loadAverage()}`);

interface SizeResult {
  size: number;
  ms: number[];
  calls: number[];
  depth: number[];
  ops: Map<string, number>;
}

const results: SizeResult[] = [];
let firstCommitMs = 0;
let initialMs = 0;
try {
  // A source that releases only what the current phase allows, so each step() takes exactly one batch.
  let visible = initial;
  const view = new MemoryLog();
  const source = (from: Record<string, string> | null) => {
    const s = new MemorySource(view, { from, pollIntervalMs: 1 });
    return s;
  };
  const release = (n: number) => {
    for (; visible < Math.min(log.entries.length, n); visible++) view.entries.push(log.entries[visible]);
  };
  for (let i = 0; i < initial; i++) view.entries.push(log.entries[i]);
  // Read per step by the engine: batches of 10,000 closed after 20 ms for the initial load, then exactly one
  // released batch per step.
  let maxEvents = 10_000;
  let maxBatchMs = 20;
  const engine = await StreamEngine.open({
    job: "bench",
    lake,
    openSource: source,
    get maxBatchEvents() {
      return maxEvents;
    },
    get maxBatchMs() {
      return maxBatchMs;
    },
    idleWaitMs: 50,
    stateEveryBatches: 1_000_000,
    stateEveryMs: 3_600_000,
  });
  // The initial load (catalog + customers), in batches of 10,000.
  const t0 = performance.now();
  let released = initial;
  while (engine.position.memory === undefined || Number(engine.position.memory) < initial) {
    const step = await engine.step();
    if (step.kind !== "batch") break;
    if (firstCommitMs === 0) firstCommitMs = performance.now() - t0;
  }
  initialMs = performance.now() - t0;
  console.error(
    `initial load: ${initial} records in ${initialMs.toFixed(0)} ms (first batch ${
      firstCommitMs.toFixed(0)
    } ms)`,
  );
  maxBatchMs = 60_000;
  for (const size of SIZES) {
    maxEvents = size;
    const r: SizeResult = { size, ms: [], calls: [], depth: [], ops: new Map() };
    for (let b = -2; b < BATCHES; b++) {
      released += size;
      release(released);
      calls.length = 0;
      const t = performance.now();
      const step = await engine.step();
      const ms = performance.now() - t;
      if (step.kind !== "batch" || step.info.records !== size) {
        throw new Error(`expected a batch of ${size} records, got ${JSON.stringify(step)}`);
      }
      if (b < 0) continue; // warm-up: the first batches of a size create tables and files
      r.ms.push(ms);
      r.calls.push(calls.length);
      r.depth.push(sequentialDepth(calls));
      for (const c of calls) r.ops.set(c.op, (r.ops.get(c.op) ?? 0) + 1);
    }
    results.push(r);
    console.error(
      `${size}: p50 ${percentile(r.ms, 0.5).toFixed(0)} ms, p90 ${percentile(r.ms, 0.9).toFixed(0)} ms, ` +
        `${percentile(r.calls, 0.5)} calls, depth ${percentile(r.depth, 0.5)}, ` +
        [...r.ops].map(([op, n]) => `${op} ${(n / BATCHES).toFixed(1)}`).join(", "),
    );
  }
  await engine.close({ saveState: false });
} finally {
  await cleanUp();
}

const load = loadAverage();
const body = [
  `Run: \`deno run -A bench/stream/batch_commit.ts --lake ${values.lake} --sizes ${
    SIZES.join(",")
  } --batches ` +
  `${BATCHES} --customers ${CUSTOMERS}\`; load average (1 min) ${load.toFixed(2)} at the end on 2 cores.`,
  "",
  `The engine in-process with every operator; its source holds decoded events of the benchmark's commerce load ` +
  `(bench/stream/load_stream.ts), released one batch at a time; the lake on ${
    values.lake === "minio" ? "MinIO (the local stack, loopback)" : "local disk"
  }. Time = \`engine.step()\` with the batch ready (operators, Parquet, every table's commit, the metrics row, ` +
  `and the WAL entry), after ${CUSTOMERS.toLocaleString("en-US")} customers and the catalog ` +
  `(initial load ${(initialMs / 1000).toFixed(1)} s, first batch ${
    firstCommitMs.toFixed(0)
  } ms). *Chain* = ` +
  `object-store calls that wait for one another (longest sequence where each starts after the previous ended).`,
  "",
  "| events per batch | p50 | p90 | max | store calls | chain | calls by kind (per batch) |",
  "|---:|---:|---:|---:|---:|---:|---|",
  ...results.map((r) =>
    `| ${r.size.toLocaleString("en-US")} | ${percentile(r.ms, 0.5).toFixed(0)} ms | ${
      percentile(r.ms, 0.9).toFixed(0)
    } ms | ${Math.max(...r.ms).toFixed(0)} ms | ${percentile(r.calls, 0.5)} | ${percentile(r.depth, 0.5)} | ${
      [...r.ops].map(([op, n]) => `${op} ${(n / BATCHES).toFixed(1)}`).join(", ")
    } |`
  ),
].join("\n");
console.log(body);
if (!values["no-write"]) {
  await writeSection(
    "stream-batch-commit",
    "Stream processor: one batch's commit path (bench/stream/batch_commit.ts)",
    body,
  );
}
