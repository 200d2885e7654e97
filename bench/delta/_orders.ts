/**
 * The orders-like table the Delta benchmarks write: 8 columns (ids, status, money, times, quantity, note),
 * generated deterministically from a seed so every run and the Python baseline see the same shape.
 *
 * @module
 */
import { Decimal, LocalDate, type Row, Timestamp } from "../../pipeline/value/mod.ts";
import type { StructType } from "../../pipeline/delta/schema/types.ts";
import type { ColumnBatch } from "../../pipeline/delta/write/column_batch.ts";
import { Prng } from "../../pipeline/stream/operators/_prng.ts";

/** Schema of the benchmark table. */
export const ORDERS_SCHEMA: StructType = {
  type: "struct",
  fields: [
    { name: "order_id", type: "long", nullable: false, metadata: {} },
    { name: "customer_id", type: "long", nullable: false, metadata: {} },
    { name: "status", type: "string", nullable: true, metadata: {} },
    { name: "amount", type: "decimal(18,2)", nullable: true, metadata: {} },
    { name: "created_at", type: "timestamp", nullable: true, metadata: {} },
    { name: "order_date", type: "date", nullable: true, metadata: {} },
    { name: "quantity", type: "integer", nullable: true, metadata: {} },
    { name: "note", type: "string", nullable: true, metadata: {} },
  ],
};

const STATUSES = ["pending", "paid", "shipped", "delivered", "cancelled"];
const BASE_US = 1_700_000_000_000_000n;

/** A small fast PRNG (mulberry32, the operators' one) so data is the same in every run. */
export function prng(seed: number): () => number {
  const r = new Prng(seed);
  return () => r.next();
}

/** Orders with ids `from`…`from + count − 1`; `tag` changes the note (to tell updates apart). */
export function orders(from: number, count: number, seed = 42, tag = "o"): Row[] {
  const rnd = prng(seed + from);
  const out: Row[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const id = from + i;
    out[i] = {
      order_id: BigInt(id),
      customer_id: BigInt(Math.floor(rnd() * 100_000)),
      status: STATUSES[Math.floor(rnd() * 5)],
      amount: new Decimal(BigInt(Math.floor(rnd() * 1_000_000)), 2),
      created_at: Timestamp.fromMicros(BASE_US + BigInt(id) * 1_000_003n),
      order_date: new LocalDate(19_700 + Math.floor(id / 10_000)),
      quantity: 1 + Math.floor(rnd() * 9),
      note: `${tag}-${id % 977}`,
    };
  }
  return out;
}

/**
 * The rows of {@linkcode orders} as a column batch (one typed array per column, strings as arrays), the form
 * delta-rs starts from in the baseline (a pyarrow table).
 */
export function ordersBatch(from: number, count: number, seed = 42, tag = "o"): ColumnBatch {
  const rnd = prng(seed + from);
  const orderId = new BigInt64Array(count);
  const customerId = new BigInt64Array(count);
  const status: string[] = new Array(count);
  const amount = new BigInt64Array(count);
  const createdAt = new BigInt64Array(count);
  const orderDate = new Int32Array(count);
  const quantity = new Int32Array(count);
  const note: string[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const id = from + i;
    orderId[i] = BigInt(id);
    customerId[i] = BigInt(Math.floor(rnd() * 100_000));
    status[i] = STATUSES[Math.floor(rnd() * 5)];
    amount[i] = BigInt(Math.floor(rnd() * 1_000_000));
    createdAt[i] = BASE_US + BigInt(id) * 1_000_003n;
    orderDate[i] = 19_700 + Math.floor(id / 10_000);
    quantity[i] = 1 + Math.floor(rnd() * 9);
    note[i] = `${tag}-${id % 977}`;
  }
  return {
    length: count,
    columns: {
      order_id: { values: orderId },
      customer_id: { values: customerId },
      status: { values: status },
      amount: { values: amount },
      created_at: { values: createdAt },
      order_date: { values: orderDate },
      quantity: { values: quantity },
      note: { values: note },
    },
  };
}

/** Peak resident memory of this process so far (VmHWM), in MiB. */
export async function peakRssMiB(): Promise<number> {
  const status = await Deno.readTextFile("/proc/self/status");
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** Median of numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The 1-minute load average, to show when a shared machine was busy during a run. */
export async function loadAverage(): Promise<string> {
  return (await Deno.readTextFile("/proc/loadavg")).split(" ")[0];
}
