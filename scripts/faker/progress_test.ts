import assert from "node:assert/strict";
import { formatProgress, formatRate } from "./progress.ts";

Deno.test("formatRate() keeps a decimal for slow rates and separators for fast ones", () => {
  assert.equal(formatRate(0.4), "0.4");
  assert.equal(formatRate(2345.6), "2,346");
});

Deno.test("formatProgress() shows operations, rate, rows, orders, retries, errors and time on one line", () => {
  const line = formatProgress({
    dialect: "sqlite",
    operations: 12_345,
    byKind: { newOrder: 3000 },
    changes: { Orders: { c: 3000, u: 10, d: 0 }, Inventory: { c: 0, u: 7000, d: 0 } },
    retries: 2,
    errors: 1,
    elapsedMs: 6000,
    stoppedBy: "ops",
  }, 6000);
  assert.equal(
    line,
    "faker sqlite: 12,345 tx (2,058/s) · 10,010 rows · 3,000 orders · 2 retries · 1 errors · 6.0 s",
  );
  assert.ok(!line.includes("\n"));
});
