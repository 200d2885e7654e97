import assert from "node:assert/strict";
import { Decimal, LocalDate, Timestamp } from "../../value/mod.ts";
import { keyToAddPath, partitionFolder, partitionValueString } from "./partition_values.ts";

Deno.test("partitionValueString() writes Spark's partition value strings", () => {
  assert.equal(partitionValueString("date", LocalDate.parse("2021-09-08"), "d"), "2021-09-08");
  assert.equal(partitionValueString("decimal(10,5)", Decimal.parse("234"), "d"), "234.00000");
  assert.equal(partitionValueString("long", 12n, "n"), "12");
  assert.equal(partitionValueString("double", 1, "x"), "1.0");
  assert.equal(partitionValueString("boolean", false, "b"), "false");
  assert.equal(
    partitionValueString("timestamp", Timestamp.parse("1971-07-22T03:06:40Z"), "t"),
    "1971-07-22T03:06:40.000000Z",
  );
  assert.equal(
    partitionValueString(
      "timestamp_ntz",
      Timestamp.parse("2021-11-18T02:30:00.123456", { zoned: false }),
      "t",
    ),
    "2021-11-18 02:30:00.123456",
  );
  assert.equal(partitionValueString("string", "", "s"), null);
  assert.equal(partitionValueString("string", null, "s"), null);
  assert.throws(() => partitionValueString("integer", "7", "n"), /Cannot partition by column "n"/);
});

Deno.test("partitionFolder() and keyToAddPath() escape like Spark (folder once, add.path once more)", () => {
  const folder = partitionFolder(["letter"], { letter: "/%20%f" });
  assert.equal(folder, "letter=%2F%2520%25f");
  assert.equal(keyToAddPath(`${folder}/part-0.parquet`), "letter=%252F%252520%2525f/part-0.parquet");
  assert.equal(partitionFolder(["x", "y"], { x: "A/A", y: null }), "x=A%2FA/y=__HIVE_DEFAULT_PARTITION__");
  const ts = partitionFolder(["part"], { part: "2021-10-01 08:09:20" });
  assert.equal(ts, "part=2021-10-01 08%3A09%3A20");
  assert.equal(keyToAddPath(ts), "part=2021-10-01%2008%253A09%253A20");
  assert.equal(keyToAddPath("p=😈/f.parquet"), "p=😈/f.parquet");
  assert.equal(partitionFolder([], {}), "");
});
