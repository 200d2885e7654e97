import assert from "node:assert/strict";
import type { ChangeEvent } from "../../cdc/change_event.ts";
import { type Row, Timestamp } from "../../value/mod.ts";
import { Prng } from "./_prng.ts";
import { referenceScd2 } from "./_reference_model.ts";
import { deliver, type SourceSimulator, SourceSimulator as Sim, tableDef } from "./_source_simulator.ts";
import { assertSameRows, sortRows, TableImage } from "./_table_image.ts";
import { Scd2Operator, scd2Table } from "./scd2_operator.ts";

const CUSTOMERS = tableDef("customers");
const TRACKED = ["name", "email", "phone_number"];
const KEY = ["customer_id", "version"];

function customer(
  sim: SourceSimulator,
  id: number,
  name: string,
  email = `${name.toLowerCase()}@x.org`,
): Row {
  return { customer_id: id, name, email, phone_number: null, created_at: sim.now, updated_at: sim.now };
}

function run(batches: ChangeEvent[][], op = new Scd2Operator()): Row[] {
  const image = new TableImage(op.outputs);
  for (const b of batches) image.apply(op.apply(b));
  return image.rows("customers_scd2");
}

function expected(events: ChangeEvent[], tracked = TRACKED): Row[] {
  return sortRows(referenceScd2(CUSTOMERS, events, tracked), KEY);
}

/** [version, name, valid_from ms, valid_to ms | null, is_current, is_deleted] per row. */
function summary(rows: Row[]): unknown[][] {
  const ms = (t: unknown) => (t instanceof Timestamp ? t.epochMillis : null);
  return rows.map((r) => [r.version, r.name, ms(r.valid_from), ms(r.valid_to), r.is_current, r.is_deleted]);
}

Deno.test("scd2Table() has the product's columns, keyed by customer_id and version", () => {
  const t = scd2Table();
  assert.equal(t.name, "customers_scd2");
  assert.deepEqual(t.key, KEY);
  assert.deepEqual(t.schema.fields.map((f) => f.name), [
    "customer_id",
    "name",
    "email",
    "phone_number",
    "created_at",
    "updated_at",
    "valid_from",
    "valid_to",
    "is_current",
    "is_deleted",
    "version",
    "source_position",
  ]);
});

Deno.test("Scd2Operator opens a version on a tracked change and updates in place when only updated_at changes", () => {
  const sim = new Sim(0);
  sim.insert("customers", customer(sim, 1, "Ann"));
  sim.tick(1000);
  sim.update("customers", 1, { name: "Anne" });
  sim.update("customers", 1, { updated_at: sim.now }); // the trigger's second event, same commit
  sim.tick(1000);
  sim.update("customers", 1, { updated_at: sim.now });
  const rows = run([sim.events]);
  assert.deepEqual(summary(rows), [[1, "Ann", 0, 1000, false, false], [2, "Anne", 1000, null, true, false]]);
  assert.equal(rows[1].source_position, sim.events[3].position);
  assert.equal((rows[1].updated_at as Timestamp).epochMillis, 2000);
  assertSameRows(rows, expected(sim.events), "customers_scd2");
});

Deno.test("Scd2Operator closes and marks the current version on delete and opens a new one on re-insert", () => {
  const sim = new Sim(0);
  sim.insert("customers", customer(sim, 1, "Ann"));
  sim.tick(1000);
  sim.delete("customers", 1);
  sim.tick(1000);
  sim.insert("customers", customer(sim, 1, "Ann"));
  const op = new Scd2Operator();
  const image = new TableImage(op.outputs);
  image.apply(op.apply(sim.events.slice(0, 2)));
  assert.deepEqual(summary(image.rows("customers_scd2")), [[1, "Ann", 0, 1000, false, true]]);
  image.apply(op.apply(sim.events.slice(2)));
  assert.deepEqual(summary(image.rows("customers_scd2")), [
    [1, "Ann", 0, 1000, false, true],
    [2, "Ann", 2000, null, true, false],
  ]);
});

Deno.test("Scd2Operator places a late change in history and corrects its neighbours and version numbers", () => {
  const sim = new Sim(0);
  sim.insert("customers", customer(sim, 1, "Ann"));
  sim.tick(1000);
  sim.update("customers", 1, { name: "Bea" });
  sim.tick(1000);
  sim.update("customers", 1, { name: "Cid" });
  const [a, b, c] = sim.events;
  const op = new Scd2Operator();
  const image = new TableImage(op.outputs);
  image.apply(op.apply([c, a]));
  assert.deepEqual(summary(image.rows("customers_scd2")), [
    [1, "Ann", 0, 2000, false, false],
    [2, "Cid", 2000, null, true, false],
  ]);
  const late = op.apply([b]).get("customers_scd2")!;
  assert.deepEqual(late.upserts.map((r) => [r.version, r.name]), [[1, "Ann"], [2, "Bea"], [3, "Cid"]]);
  image.apply(new Map([["customers_scd2", late]]));
  assert.deepEqual(summary(image.rows("customers_scd2")), [
    [1, "Ann", 0, 1000, false, false],
    [2, "Bea", 1000, 2000, false, false],
    [3, "Cid", 2000, null, true, false],
  ]);
  const stateBytes = op.snapshotState().length;
  assert.equal(op.apply([a, b, c]).size, 0, "replayed changes are no-ops");
  assert.equal(op.snapshotState().length, stateBytes, "replayed changes do not grow the state");
});

Deno.test("Scd2Operator applies a late delete in the middle of history and a delete that arrives before its insert", () => {
  const sim = new Sim(0);
  sim.insert("customers", customer(sim, 1, "Ann"));
  sim.tick(1000);
  sim.delete("customers", 1);
  sim.tick(1000);
  sim.insert("customers", customer(sim, 1, "Ann"));
  sim.insert("customers", customer(sim, 2, "Bob"));
  sim.tick(1000);
  sim.delete("customers", 2);
  const [ins1, del1, reins1, ins2, del2] = sim.events;
  const rows = run([[reins1, del2], [ins1], [ins2], [del1]]);
  assert.deepEqual(summary(rows), [
    [1, "Ann", 0, 1000, false, true],
    [2, "Ann", 2000, null, true, false],
    [1, "Bob", 2000, 3000, false, true],
  ]);
  assertSameRows(rows, expected(sim.events), "customers_scd2");
});

Deno.test("Scd2Operator counts snapshot reads and opens no version when a re-snapshot repeats the values", () => {
  const sim = new Sim(0);
  sim.insert("customers", customer(sim, 1, "Ann"));
  sim.insert("customers", customer(sim, 2, "Bob"));
  const seeded = sim.events.length;
  sim.snapshot("customers");
  sim.tick(5000);
  sim.update("customers", 2, { email: "bob@new.org" });
  sim.snapshot("customers");
  const snapshotsOnly = sim.events.slice(seeded).filter((e) => e.op === "r");
  const rows = run([snapshotsOnly, sim.events.slice(seeded).filter((e) => e.op !== "r")]);
  assert.deepEqual(summary(rows), [
    [1, "Ann", 0, null, true, false],
    [1, "Bob", 0, 5000, false, false],
    [2, "Bob", 5000, null, true, false],
  ]);
  assert.equal(
    rows[0].source_position,
    sim.events.at(-1)!.position,
    "the re-snapshot updated the row in place",
  );
  assertSameRows(rows, expected(sim.events.slice(seeded)), "customers_scd2");
});

Deno.test("Scd2Operator tracks history on the chosen columns only", () => {
  const sim = new Sim(0);
  sim.insert("customers", customer(sim, 1, "Ann"));
  sim.tick(1000);
  sim.update("customers", 1, { email: "ann@other.org" });
  const rows = run([sim.events], new Scd2Operator({ trackHistoryOn: ["name"] }));
  assert.deepEqual(summary(rows), [[1, "Ann", 0, null, true, false]]);
  assert.equal(rows[0].email, "ann@other.org");
  assert.throws(() => new Scd2Operator({ trackHistoryOn: ["nickname"] }), /"customers" has no such column/);
});

Deno.test("Scd2Operator.restore() continues exactly and rebuildFromRows() reproduces the table", async () => {
  const rng = new Prng(11);
  const sim = new Sim();
  customerHistory(sim, rng, 30, 400);
  const cut = sim.events.length;
  customerHistory(sim, rng, 30, 400);
  const batches = deliver(sim.events.slice(0, cut), rng, { duplicates: 0.2, order: "shuffle", maxBatch: 50 });
  const first = new Scd2Operator();
  const image = new TableImage(first.outputs);
  for (const b of batches) image.apply(first.apply(b));

  const restored = new Scd2Operator();
  restored.restore(first.snapshotState());
  const rebuilt = new Scd2Operator();
  // Rows stream in, in any order (as from several data files).
  async function* stream(rows: Row[]) {
    for (const row of rows) yield row;
  }
  await rebuilt.rebuildFromRows(stream(rng.shuffle(image.rows("customers_scd2"))));
  const rebuiltImage = new TableImage(rebuilt.outputs);
  rebuiltImage.apply(new Map([["customers_scd2", { upserts: image.rows("customers_scd2"), deletes: [] }]]));
  // After a restart, the source redelivers changes applied before it (at-least-once), then the new ones.
  const redelivered = [...sim.events.slice(cut - 150, cut), ...sim.events.slice(cut)];
  for (const b of deliver(redelivered, rng, { duplicates: 0.1, order: "in-order", maxBatch: 50 })) {
    image.apply(restored.apply(b));
    rebuiltImage.apply(rebuilt.apply(b));
  }
  assertSameRows(image.rows("customers_scd2"), expected(sim.events), "after restore");
  assertSameRows(rebuiltImage.rows("customers_scd2"), expected(sim.events), "after rebuild");
  assert.throws(() => new Scd2Operator({ trackHistoryOn: ["name"] }).restore(new Uint8Array(3)), RangeError);
  const one = image.rows("customers_scd2").find((r) => r.version === 1)!;
  await assert.rejects(rebuilt.rebuildFromRows([{ ...one, version: 2 }]), /versions 2 are not 1…1/);
  await assert.rejects(rebuilt.rebuildFromRows([one, one]), /versions 1,1 are not 1…2/);
  await assert.rejects(rebuilt.rebuildFromRows([{ ...one, valid_from: null }]), /no valid_from/);
  assertSameRows(run([], rebuilt), [], "a failed rebuild keeps the state");
});

Deno.test("Scd2Operator compacts old in-place updates so a key's state stays small, with the same table", () => {
  const sim = new Sim(0);
  sim.insert("customers", customer(sim, 1, "Ann"));
  for (let day = 0; day < 30; day++) {
    for (let i = 0; i < 50; i++) {
      sim.tick(1_728_000); // 50 updated_at-only changes a day
      sim.update("customers", 1, { updated_at: sim.now });
    }
    if (day % 10 === 9) sim.update("customers", 1, { name: `Ann ${day}` });
  }
  const compacting = new Scd2Operator();
  const exact = new Scd2Operator({ exactLatenessMs: Infinity });
  const batches = deliver(sim.events, new Prng(1), {
    duplicates: 0.1,
    order: "local",
    window: 20,
    maxBatch: 40,
  });
  const rows = run(batches, compacting);
  assertSameRows(rows, expected(sim.events), "compacted");
  assertSameRows(run(batches, exact), expected(sim.events), "exact");
  assert.deepEqual(rows.map((r) => r.version), [1, 2, 3, 4]);
  const [small, large] = [compacting.snapshotState().length, exact.snapshotState().length];
  assert.ok(small * 10 < large, `compacted state ${small} B vs ${large} B`);

  // A change later than the horizon still lands in version order and keeps the SCD2 invariants.
  const late = sim.events[100];
  const image = new TableImage(compacting.outputs);
  image.apply(new Map([["customers_scd2", { upserts: rows, deletes: [] }]]));
  const fresh = new Scd2Operator();
  fresh.restore(compacting.snapshotState());
  image.apply(
    fresh.apply([{ ...late, position: late.position + "5", after: { ...late.after, name: "Zed" } }]),
  );
  const after = image.rows("customers_scd2").sort((a, b) => (a.version as number) - (b.version as number));
  assert.deepEqual(after.map((r) => [r.version, r.name]), [[1, "Ann"], [2, "Zed"], [3, "Ann"], [4, "Ann 9"], [
    5,
    "Ann 19",
  ], [6, "Ann 29"]]);
  assert.equal(after.filter((r) => r.is_current).length, 1);
  assert.throws(
    () => new Scd2Operator({ trackHistoryOn: ["name"] }).restore(compacting.snapshotState()),
    /taken with/,
  );
  assert.throws(() => new Scd2Operator({ exactLatenessMs: -1 }), RangeError);
});

/** Random customer changes with few distinct values, so in-place updates, re-inserts and snapshots all occur. */
function customerHistory(sim: SourceSimulator, rng: Prng, keys: number, steps: number): void {
  const names = ["Ann", "Bob"];
  const emails = ["a@x.org", "b@x.org", null];
  for (let i = 0; i < steps; i++) {
    if (rng.chance(0.4)) sim.tick(rng.int(3000));
    const id = rng.between(1, keys);
    const row = sim.get("customers", id);
    if (rng.chance(0.01)) sim.snapshot("customers");
    else if (!row) {
      sim.insert("customers", { ...customer(sim, id, rng.pick(names)), email: rng.pick(emails) });
    } else if (rng.chance(0.1)) sim.delete("customers", id);
    else if (rng.chance(0.5)) sim.update("customers", id, { updated_at: sim.now });
    else sim.update("customers", id, { name: rng.pick(names), email: rng.pick(emails), updated_at: sim.now });
  }
}

Deno.test("Scd2Operator output equals the reference for random histories, orders and batch splits", () => {
  for (let seed = 1; seed <= 60; seed++) {
    const rng = new Prng(seed * 104729);
    const sim = new Sim();
    customerHistory(sim, rng, rng.between(1, 25), rng.between(1, 500));
    const order = rng.pick(["shuffle", "local", "in-order"] as const);
    const tracked = rng.chance(0.2) ? ["email"] : TRACKED;
    const batches = deliver(sim.events, rng, { duplicates: 0.2, order, maxBatch: rng.between(1, 100) });
    const rows = run(batches, new Scd2Operator({ trackHistoryOn: tracked }));
    assertSameRows(rows, expected(sim.events, tracked), `seed ${seed}, ${order}`);
    // SCD2 invariants: at most one current row per key, contiguous versions, gap-free validity.
    const byKey = Map.groupBy(rows, (r) => r.customer_id as number);
    for (const group of byKey.values()) {
      const versions = group.sort((a, b) => (a.version as number) - (b.version as number));
      assert.ok(versions.filter((v) => v.is_current).length <= 1);
      versions.forEach((v, i) => {
        assert.equal(v.version, i + 1);
        if (i > 0 && !versions[i - 1].is_deleted) {
          assert.equal(
            (versions[i - 1].valid_to as Timestamp).epochNanos,
            (v.valid_from as Timestamp).epochNanos,
          );
        }
      });
    }
  }
});
