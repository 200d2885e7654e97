import assert from "node:assert/strict";
import { Decimal, Timestamp, valuesEqual } from "../../value/mod.ts";
import { compactHistory, decodeHistory, encodeHistory, foldScd2, type Scd2Change } from "./scd2_history.ts";

const at = (ms: number) => Timestamp.fromMillis(ms);
const up = (pos: string, ms: number, name: string, note = ""): Scd2Change => ({
  position: pos,
  commitTs: at(ms),
  op: "u",
  row: { name, note },
});
const del = (pos: string, ms: number): Scd2Change => ({
  position: pos,
  commitTs: at(ms),
  op: "d",
  row: null,
});

Deno.test("foldScd2() opens versions on tracked changes only and closes them on deletes", () => {
  const v = foldScd2([
    up("1", 0, "a"),
    up("2", 1, "a", "x"),
    up("3", 2, "b"),
    del("4", 3),
    del("5", 4),
    up("6", 5, "b"),
  ], [
    "name",
  ]);
  assert.deepEqual(
    v.map((
      x,
    ) => [
      x.row.name,
      x.row.note,
      x.validFrom.epochMillis,
      x.validTo?.epochMillis ?? null,
      x.isDeleted,
      x.position,
    ]),
    [["a", "x", 0, 2, false, "2"], ["b", "", 2, 3, true, "4"], ["b", "", 5, null, false, "6"]],
  );
  assert.deepEqual(foldScd2([del("1", 0)], ["name"]), []);
});

Deno.test("encodeHistory() and decodeHistory() round-trip changes with typed values", () => {
  const changes: Scd2Change[] = [
    { position: "p1", commitTs: at(5), op: "r", row: { name: "~x", note: Decimal.parse("1.50") } },
    del("p2", 6),
  ];
  const back = decodeHistory(encodeHistory(changes, ["name", "note"]), ["name", "note"]);
  assert.equal(back.length, 2);
  assert.deepEqual([back[0].position, back[0].op, back[1].op, back[1].row], ["p1", "r", "d", null]);
  assert.ok(valuesEqual(back[0].row, changes[0].row));
  assert.ok(valuesEqual(back[1].commitTs, at(6)));
});

Deno.test("compactHistory() drops old in-place changes but the last of each version, keeping the fold", () => {
  const changes = [
    up("1", 0, "a"),
    up("2", 10, "a", "x"),
    up("3", 20, "a", "y"),
    up("4", 30, "b"),
    up("5", 40, "b", "z"),
    del("6", 50),
    up("7", 60, "b"),
    up("8", 70, "b", "w"),
    up("9", 1000, "b", "v"),
  ];
  const kept = compactHistory(changes, ["name"], 500_000_000n);
  assert.deepEqual(kept.map((c) => c.position), ["1", "3", "4", "5", "6", "7", "9"]);
  assert.deepEqual(foldScd2(kept, ["name"]), foldScd2(changes, ["name"]));
  assert.equal(
    compactHistory(changes, ["name"], 10_000_000_000n),
    changes,
    "nothing is older than the horizon",
  );
});
