import assert from "node:assert/strict";
import * as operators from "./mod.ts";

Deno.test("mod.ts exposes the operator set, the operators, the table schemas and the reference functions", () => {
  const set = new operators.OperatorSet();
  assert.equal(set.apply([]).size, 0);
  for (
    const t of [
      operators.SALES_PER_MINUTE,
      operators.PRODUCT_SALES,
      operators.INVENTORY_LEVELS,
      operators.ORDER_STATUS_COUNTS,
      operators.CUSTOMER_LTV,
    ]
  ) {
    assert.ok(set.outputs.includes(t), t.name);
  }
  const empty = { tables: {} };
  for (
    const ref of [
      operators.referenceSalesPerMinute,
      operators.referenceProductSales,
      operators.referenceInventoryLevels,
      operators.referenceOrderStatusCounts,
      operators.referenceCustomerLtv,
    ]
  ) {
    assert.deepEqual(ref(empty), []);
  }
});
