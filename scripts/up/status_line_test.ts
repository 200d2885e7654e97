import assert from "node:assert/strict";
import { formatStatus } from "./status_line.ts";

Deno.test("formatStatus() shows every figure on one line", () => {
  assert.equal(
    formatStatus({
      phase: "live",
      elapsedMs: 65_400,
      fakerTxPerSec: 19.96,
      eventsPerSec: 143.2,
      lagMs: 310,
      lastCommitAgeMs: 420,
      clients: 1,
    }),
    "live 1m05s · faker 20.0 tx/s · processor 143 ev/s, lag 0.3 s · last commit 0.4 s ago · 1 client",
  );
});

Deno.test("formatStatus() says what is not known yet or stopped", () => {
  assert.equal(
    formatStatus({
      phase: "draining",
      elapsedMs: 3_723_000,
      fakerTxPerSec: null,
      eventsPerSec: null,
      lagMs: null,
      lastCommitAgeMs: null,
      clients: 0,
    }),
    "draining 1h02m03s · faker stopped · processor – ev/s, lag – · no commit yet · 0 clients",
  );
  assert.match(
    formatStatus({
      phase: "live",
      elapsedMs: 0,
      fakerTxPerSec: 2500,
      eventsPerSec: 12_345.6,
      lagMs: 12_600,
      lastCommitAgeMs: 0,
      clients: 3,
    }),
    /faker 2,500 tx\/s · processor 12,346 ev\/s, lag 13 s · last commit 0\.0 s ago · 3 clients$/,
  );
});

Deno.test("formatStatus() leaves out what the stack does not measure", () => {
  assert.equal(
    formatStatus({ phase: "live", elapsedMs: 5_000, lastCommitAgeMs: 1_500, clients: 2 }),
    "live 0m05s · last commit 1.5 s ago · 2 clients",
  );
});
