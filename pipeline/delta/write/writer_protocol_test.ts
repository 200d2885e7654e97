import assert from "node:assert/strict";
import type { Metadata, Protocol } from "../log/actions.ts";
import type { StructType } from "../schema/types.ts";
import {
  checkWritable,
  deletionVectorsEnabled,
  protocolFor,
  protocolUpgrade,
  usesTimestampNtz,
} from "./writer_protocol.ts";

const plain: StructType = {
  type: "struct",
  fields: [{ name: "id", type: "long", nullable: false, metadata: {} }],
};
const withNtz: StructType = {
  type: "struct",
  fields: [...plain.fields, { name: "local", type: "timestamp_ntz", nullable: true, metadata: {} }],
};
const cdf = { "delta.enableChangeDataFeed": "true" };
const metadata = (schema: StructType, configuration: Record<string, string> = {}): Metadata => ({
  id: "t",
  format: { provider: "parquet", options: {} },
  schemaString: JSON.stringify(schema),
  partitionColumns: [],
  configuration,
});

Deno.test("usesTimestampNtz() finds timestamp_ntz inside structs, arrays and maps", () => {
  assert.equal(usesTimestampNtz(plain), false);
  assert.equal(usesTimestampNtz("timestamp"), false);
  assert.equal(usesTimestampNtz(withNtz), true);
  const nested: StructType = {
    type: "struct",
    fields: [{
      name: "s",
      type: {
        type: "struct",
        fields: [{
          name: "m",
          type: {
            type: "map",
            keyType: "string",
            valueType: { type: "array", elementType: "timestamp_ntz", containsNull: true },
            valueContainsNull: true,
          },
          nullable: true,
          metadata: {},
        }],
      },
      nullable: true,
      metadata: {},
    }],
  };
  assert.equal(usesTimestampNtz(nested), true);
});

Deno.test("protocolFor() declares (1,2) or (1,4) without timestamp_ntz", () => {
  assert.deepEqual(protocolFor({}, plain), { minReaderVersion: 1, minWriterVersion: 2 });
  assert.deepEqual(protocolFor(cdf, plain), { minReaderVersion: 1, minWriterVersion: 4 });
});

Deno.test("protocolFor() declares (3,7) with timestampNtz and the legacy writer features when a column is timestamp_ntz", () => {
  assert.deepEqual(protocolFor({}, withNtz), {
    minReaderVersion: 3,
    minWriterVersion: 7,
    readerFeatures: ["timestampNtz"],
    writerFeatures: ["appendOnly", "invariants", "timestampNtz"],
  });
  assert.deepEqual(protocolFor(cdf, withNtz), {
    minReaderVersion: 3,
    minWriterVersion: 7,
    readerFeatures: ["timestampNtz"],
    writerFeatures: ["appendOnly", "invariants", "changeDataFeed", "timestampNtz"],
  });
});

Deno.test("protocolUpgrade() returns null when the protocol already covers the schema", () => {
  const legacy: Protocol = { minReaderVersion: 1, minWriterVersion: 2 };
  assert.equal(protocolUpgrade(legacy, {}, plain), null);
  assert.equal(protocolUpgrade(protocolFor({}, withNtz), {}, withNtz), null);
});

Deno.test("protocolUpgrade() upgrades a legacy or (1,7) table to (3,7) keeping its features", () => {
  assert.deepEqual(protocolUpgrade({ minReaderVersion: 1, minWriterVersion: 4 }, cdf, withNtz), {
    minReaderVersion: 3,
    minWriterVersion: 7,
    readerFeatures: ["timestampNtz"],
    writerFeatures: ["appendOnly", "invariants", "changeDataFeed", "timestampNtz"],
  });
  const featured: Protocol = {
    minReaderVersion: 1,
    minWriterVersion: 7,
    writerFeatures: ["changeDataFeed", "appendOnly"],
  };
  assert.deepEqual(protocolUpgrade(featured, cdf, withNtz), {
    minReaderVersion: 3,
    minWriterVersion: 7,
    readerFeatures: ["timestampNtz"],
    writerFeatures: ["changeDataFeed", "appendOnly", "invariants", "timestampNtz"],
  });
});

Deno.test("checkWritable() accepts the (3,7) timestampNtz protocol it declares", () => {
  checkWritable(protocolFor(cdf, withNtz), metadata(withNtz), "mem://t");
});

Deno.test("protocolFor() declares (3,7) with deletionVectors only when delta.enableDeletionVectors is true", () => {
  const dv = { "delta.enableDeletionVectors": "true" };
  assert.deepEqual(protocolFor({ "delta.enableDeletionVectors": "false" }, plain), {
    minReaderVersion: 1,
    minWriterVersion: 2,
  });
  assert.deepEqual(protocolFor({ ...dv, ...cdf }, plain), {
    minReaderVersion: 3,
    minWriterVersion: 7,
    readerFeatures: ["deletionVectors"],
    writerFeatures: ["appendOnly", "invariants", "changeDataFeed", "deletionVectors"],
  });
  assert.deepEqual(protocolFor(dv, withNtz), {
    minReaderVersion: 3,
    minWriterVersion: 7,
    readerFeatures: ["timestampNtz", "deletionVectors"],
    writerFeatures: ["appendOnly", "invariants", "timestampNtz", "deletionVectors"],
  });
});

Deno.test("deletionVectorsEnabled() needs both the feature and the property", () => {
  const dv = { "delta.enableDeletionVectors": "true" };
  assert.equal(deletionVectorsEnabled(protocolFor(dv, plain), metadata(plain, dv)), true);
  assert.equal(deletionVectorsEnabled(protocolFor(dv, plain), metadata(plain)), false);
  assert.equal(deletionVectorsEnabled(protocolFor({}, plain), metadata(plain, dv)), false);
  // Spark's DV tables list only the features they use.
  const spark = {
    minReaderVersion: 3,
    minWriterVersion: 7,
    readerFeatures: ["deletionVectors"],
    writerFeatures: ["deletionVectors"],
  };
  checkWritable(spark, metadata(plain, dv), "mem://t", { removesData: true });
  assert.equal(deletionVectorsEnabled(spark, metadata(plain, dv)), true);
});

Deno.test("checkWritable() refuses reader and writer features it does not support", () => {
  assert.throws(
    () =>
      checkWritable(
        {
          minReaderVersion: 3,
          minWriterVersion: 7,
          readerFeatures: ["timestampNtz", "columnMapping"],
          writerFeatures: ["timestampNtz", "columnMapping"],
        },
        metadata(withNtz),
        "mem://t",
      ),
    {
      message: 'Cannot write to "mem://t": reader feature "columnMapping" is not supported by this writer',
    },
  );
  assert.throws(
    () => checkWritable({ minReaderVersion: 2, minWriterVersion: 5 }, metadata(plain), "mem://t"),
    /it needs reader version 2/,
  );
  assert.throws(
    () =>
      checkWritable(
        { minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ["rowTracking"] },
        metadata(plain),
        "mem://t",
      ),
    /writer feature "rowTracking" is not supported/,
  );
});
