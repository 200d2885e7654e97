import assert from "node:assert/strict";
import { Decimal, Timestamp } from "../../value/mod.ts";
import type { OrderFacts } from "./commerce_state.ts";
import { referenceSalesPerMinute, SALES_PER_MINUTE, SalesPerMinuteView } from "./sales_per_minute.ts";

const at = (iso: string) => Timestamp.parse(iso);

Deno.test("referenceSalesPerMinute() rounds the average half-up and leaves out cancelled and returned orders", () => {
  const order = (id: number, status: number, iso: string) => ({
    order_id: id,
    status_id: status,
    created_at: at(iso),
  });
  const item = (order: number, q: number, p: string) => ({
    order_id: order,
    quantity: q,
    current_price: Decimal.parse(p),
  });
  const rows = referenceSalesPerMinute({
    tables: {
      orders: [
        order(1, 1, "2024-01-01T00:00:01Z"),
        order(2, 2, "2024-01-01T00:00:59Z"),
        order(3, 3, "2024-01-01T00:00:30Z"),
        order(4, 4, "2024-01-01T00:00:30Z"),
        order(5, 5, "2024-01-01T00:01:00Z"),
      ],
      order_items: [item(1, 1, "5.00"), item(2, 1, "5.00"), item(4, 9, "1.00"), item(5, 1, "1.00")],
    },
  });
  assert.deepEqual(
    rows.map((
      r,
    ) => [String(r.window_start), r.orders, r.units, String(r.revenue), String(r.avg_order_value)]),
    [
      ["2024-01-01T00:00:00.000000Z", 3n, 2n, "10.00", "3.33"],
    ],
  );
  assert.equal(String(rows[0].window_end), "2024-01-01T00:01:00.000000Z");
  assert.deepEqual(SALES_PER_MINUTE.key, ["window_start"]);
});

Deno.test("SalesPerMinuteView counts changes to windows behind the watermark and still applies them", () => {
  const view = new SalesPerMinuteView(60_000);
  const facts = (minute: number): OrderFacts => ({
    orderId: minute,
    statusId: 1,
    customerId: null,
    eventNs: BigInt(minute) * 60_000_000_000n,
    minute,
    day: 0,
    sale: true,
    units: 1,
    cents: 100n,
    lines: [],
  });
  assert.equal(view.watermark, null);
  view.add(facts(10), 1);
  assert.equal(view.watermark!.epochMillis, 9 * 60_000);
  view.add(facts(9), 1);
  assert.equal(view.lateChanges, 0, "the minute before the latest is within the allowed lateness");
  view.add(facts(3), 1);
  view.add(facts(3), -1);
  assert.equal(view.lateChanges, 2);
  const out = view.emit();
  assert.equal(out.upserts.length, 2);
  assert.deepEqual(out.deletes, [{ window_start: Timestamp.parse("1970-01-01T00:03:00Z") }]);
  assert.deepEqual(view.emit(), { upserts: [], deletes: [] });
});
