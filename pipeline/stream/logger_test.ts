import assert from "node:assert/strict";
import { createLogger } from "./logger.ts";

Deno.test("createLogger() writes JSON lines with the level, message and fields", () => {
  const lines: string[] = [];
  const log = createLogger({ format: "json", write: (l) => lines.push(l), now: () => 0 });
  log.info("batch committed", { batch: 7, big: 2n ** 64n, err: new TypeError("x") });
  assert.deepEqual(JSON.parse(lines[0]), {
    ts: "1970-01-01T00:00:00.000Z",
    level: "info",
    msg: "batch committed",
    batch: 7,
    big: "18446744073709551616",
    err: "TypeError: x",
  });
});

Deno.test("createLogger() writes text lines and drops levels below the minimum", () => {
  const lines: string[] = [];
  const log = createLogger({ write: (l) => lines.push(l), now: () => 0, level: "info" });
  log.debug("hidden");
  log.warn("slow commit", { table: "orders", detail: "took 3 s", tables: ["a"] });
  assert.deepEqual(lines, [
    '1970-01-01T00:00:00.000Z WARN slow commit table=orders detail="took 3 s" tables=["a"]',
  ]);
});
