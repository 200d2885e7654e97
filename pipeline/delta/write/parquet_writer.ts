/**
 * A Parquet writer for flat tables of primitive columns ({@linkcode PrimitiveColumn}), with the layout Spark
 * and arrow-rs write: one row group, v1 data pages of about 1 MiB, RLE definition levels, PLAIN values or a
 * PLAIN dictionary page with RLE_DICTIONARY indices, chunk statistics (min_value/max_value with type-defined
 * column order, null_count), the logical and converted types of delta-lake.md §5 and the Arrow schema in
 * `ARROW:schema` (so Arrow readers get the same types as from the parquet-wasm path). Nested types are not
 * handled here (see parquet_file.ts).
 *
 * @module
 */
import * as arrow from "apache-arrow";
import { encodeBase64 } from "../../value/mod.ts";
import { decimalParts, type StructField } from "../schema/types.ts";
import { arrowSchema } from "./arrow_columns.ts";
import { Physical, type PrimitiveColumn } from "./primitive_columns.ts";
import { bitWidthOf, writeRleHybrid } from "./rle_hybrid.ts";
import { snappyCompressInto, snappyMaxLength } from "./snappy.ts";
import {
  binary,
  bool,
  ByteSink,
  i32,
  i32List,
  i64,
  list,
  struct,
  type ThriftValue,
} from "./thrift_compact.ts";

/** Codecs this writer implements (zstd goes through parquet-wasm). */
export type PrimitiveCodec = "snappy" | "uncompressed";

const CODEC = { uncompressed: 0, snappy: 1 } as const;
const Encoding = { PLAIN: 0, RLE: 3, RLE_DICTIONARY: 8 } as const;
const PageType = { DATA_PAGE: 0, DICTIONARY_PAGE: 2 } as const;
const ConvertedType = { UTF8: 0, DECIMAL: 5, DATE: 6, TIMESTAMP_MICROS: 10, INT_8: 15, INT_16: 16 } as const;

/** Rows per data page at most; BYTE_ARRAY pages also end after about 1 MiB of values. */
const PAGE_ROWS = 1 << 17;
const PAGE_BYTES = 1 << 20;
/** Binary min/max longer than this are left out of the chunk statistics (they are optional). */
const MAX_STAT_BYTES = 64;

const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]); // "PAR1"
const textEncoder = new TextEncoder();

/** The Parquet file holding `columns` (all of `rows` rows), compressed with `codec`. */
export function writePrimitiveParquet(
  columns: readonly PrimitiveColumn[],
  rows: number,
  codec: PrimitiveCodec,
  createdBy = "lakestream",
): Uint8Array {
  let estimate = 4096;
  for (const c of columns) {
    const body = (c.dictionary ? c.dictionary.plain.length + c.count * 3 : c.plain.length) + c.rows / 4;
    estimate += snappyMaxLength(body) + 64 * (Math.ceil(c.rows / PAGE_ROWS) + 2);
  }
  const out = new ByteSink(estimate);
  out.write(MAGIC);
  const chunks = rows > 0 ? columns.map((c) => writeColumnChunk(c, codec, out)) : [];
  const footer = new ByteSink(1024 + columns.length * 256);
  fileMetaData(columns, rows, chunks, createdBy).write(footer);
  out.write(footer.view());
  const len = footer.length;
  out.write(new Uint8Array([len & 0xff, (len >>> 8) & 0xff, (len >>> 16) & 0xff, len >>> 24]));
  out.write(MAGIC);
  return out.view();
}

interface ChunkInfo {
  meta: ThriftValue;
  offset: number;
  compressed: number;
  uncompressed: number;
}

/** The page header, written apart when compressing (its length is known only after the body). */
const headerSink = new ByteSink(64);

/**
 * Writes one page (header, then `parts` as its body, compressed with `codec`). A compressed body goes straight
 * into `out` after room for a header of `guess` compressed bytes; a real header of another length moves the
 * body by a byte or two (rare: the guess is the column's previous page).
 */
function writePage(
  out: ByteSink,
  codec: PrimitiveCodec,
  parts: readonly Uint8Array[],
  header: (uncompressed: number, compressed: number) => ThriftValue,
  guess: number,
): { uncompressed: number; compressed: number } {
  let size = 0;
  for (const p of parts) size += p.length;
  const start = out.length;
  if (codec !== "snappy") {
    header(size, size).write(out);
    const headerSize = out.length - start;
    for (const b of parts) out.write(b);
    return { uncompressed: headerSize + size, compressed: headerSize + size };
  }
  headerSink.length = 0;
  header(size, guess).write(headerSink);
  const bodyAt = start + headerSink.length;
  out.length = bodyAt;
  // Reserved first: it may move `out.bytes`.
  out.reserve(snappyMaxLength(size));
  const compressedSize = snappyCompressInto(parts, out.bytes, bodyAt);
  headerSink.length = 0;
  header(size, compressedSize).write(headerSink);
  const headerSize = headerSink.length;
  if (start + headerSize !== bodyAt) {
    out.bytes.copyWithin(start + headerSize, bodyAt, bodyAt + compressedSize);
  }
  out.bytes.set(headerSink.view(), start);
  out.length = start + headerSize + compressedSize;
  return { uncompressed: headerSize + size, compressed: headerSize + compressedSize };
}

function dataPageHeader(rows: number, encoding: number) {
  return (uncompressed: number, compressed: number) =>
    struct([
      [1, i32(PageType.DATA_PAGE)],
      [2, i32(uncompressed)],
      [3, i32(compressed)],
      [
        5,
        struct([[1, i32(rows)], [2, i32(encoding)], [3, i32(Encoding.RLE)], [4, i32(Encoding.RLE)]]),
      ],
    ]);
}

/** Page boundaries as [first row, end row, first value, end value) of each page. */
function pages(c: PrimitiveColumn): [number, number, number, number][] {
  const out: [number, number, number, number][] = [];
  const { defined, ends, dictionary } = c;
  const plainBytes = !dictionary && ends !== undefined;
  let row = 0;
  let value = 0;
  while (row < c.rows) {
    const firstRow = row;
    const firstValue = value;
    const startByte = firstValue > 0 && plainBytes ? ends[firstValue - 1] : 0;
    const limit = Math.min(c.rows, row + PAGE_ROWS);
    if (!defined && !plainBytes) {
      value += limit - row;
      row = limit;
    } else {
      while (row < limit) {
        if (!defined || defined[row]) {
          value++;
          if (plainBytes && ends[value - 1] - startByte >= PAGE_BYTES) {
            row++;
            break;
          }
        }
        row++;
      }
    }
    out.push([firstRow, row, firstValue, value]);
  }
  return out;
}

function writeColumnChunk(c: PrimitiveColumn, codec: PrimitiveCodec, out: ByteSink): ChunkInfo {
  const offset = out.length;
  let compressed = 0;
  let uncompressed = 0;
  let dictionaryOffset: number | undefined;
  const dict = c.dictionary;
  if (dict) {
    dictionaryOffset = out.length;
    const sizes = writePage(out, codec, [dict.plain], (u, z) =>
      struct([
        [1, i32(PageType.DICTIONARY_PAGE)],
        [2, i32(u)],
        [3, i32(z)],
        [7, struct([[1, i32(dict.size)], [2, i32(Encoding.PLAIN)]])],
      ]), dict.plain.length);
    compressed += sizes.compressed;
    uncompressed += sizes.uncompressed;
  }
  const dataOffset = out.length;
  const encoding = dict ? Encoding.RLE_DICTIONARY : Encoding.PLAIN;
  const indexWidth = dict ? bitWidthOf(Math.max(0, dict.size - 1)) : 0;
  // Compressed size of the previous page (of a typical page at first): where the next body goes.
  let lastBody = PAGE_BYTES / 2;
  const levels = new ByteSink(1024);
  const values = new ByteSink(dict || c.physical === Physical.BOOLEAN ? 1024 : 0);
  for (const [r0, r1, v0, v1] of pages(c)) {
    const parts: Uint8Array[] = [];
    if (c.field.nullable) {
      levels.length = 4;
      if (c.defined) writeRleHybrid(c.defined, r0, r1, 1, levels);
      else {
        // No nulls: one RLE run of 1s.
        levels.varint((r1 - r0) * 2);
        levels.byte(1);
      }
      const n = levels.length - 4;
      levels.bytes.set([n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24], 0);
      parts.push(levels.view());
    }
    if (dict) {
      values.length = 0;
      values.byte(indexWidth);
      writeRleHybrid(dict.indices, v0, v1, indexWidth, values);
      parts.push(values.view());
    } else if (c.physical === Physical.BOOLEAN) {
      values.length = 0;
      let acc = 0;
      for (let v = v0; v < v1; v++) {
        acc |= c.plain[v] << ((v - v0) & 7);
        if (((v - v0) & 7) === 7) {
          values.byte(acc);
          acc = 0;
        }
      }
      if ((v1 - v0) & 7) values.byte(acc);
      parts.push(values.view());
    } else if (c.ends) {
      parts.push(c.plain.subarray(v0 > 0 ? c.ends[v0 - 1] : 0, v1 > 0 ? c.ends[v1 - 1] : 0));
    } else {
      parts.push(c.plain.subarray(v0 * c.width, v1 * c.width));
    }
    const sizes = writePage(out, codec, parts, dataPageHeader(r1 - r0, encoding), lastBody);
    lastBody = sizes.compressed;
    compressed += sizes.compressed;
    uncompressed += sizes.uncompressed;
  }
  const encodings = dict
    ? [Encoding.PLAIN, Encoding.RLE, Encoding.RLE_DICTIONARY]
    : [Encoding.PLAIN, Encoding.RLE];
  const meta = struct([
    [1, i32(c.physical)],
    [2, i32List(encodings)],
    [3, list([binary(c.field.name)])],
    [4, i32(CODEC[codec])],
    [5, i64(c.rows)],
    [6, i64(uncompressed)],
    [7, i64(compressed)],
    [9, i64(dataOffset)],
    [11, dictionaryOffset === undefined ? undefined : i64(dictionaryOffset)],
    [12, statistics(c)],
  ]);
  return { meta, offset, compressed, uncompressed };
}

/** Chunk statistics: null_count always, min_value/max_value in the physical encoding where ordered. */
function statistics(c: PrimitiveColumn): ThriftValue {
  let min: Uint8Array | undefined;
  let max: Uint8Array | undefined;
  const e = c.extremes;
  if (e) {
    switch (c.physical) {
      case Physical.INT32:
        [min, max] = [int32Bytes(Number(e.min)), int32Bytes(Number(e.max))];
        break;
      case Physical.INT64:
        [min, max] = [int64Bytes(e.min as bigint), int64Bytes(e.max as bigint)];
        break;
      case Physical.FIXED_LEN_BYTE_ARRAY:
        [min, max] = [bigEndian(e.min as bigint, c.typeLength), bigEndian(e.max as bigint, c.typeLength)];
        break;
      case Physical.BYTE_ARRAY: {
        const [lo, hi] = [textEncoder.encode(e.min as string), textEncoder.encode(e.max as string)];
        if (lo.length <= MAX_STAT_BYTES && hi.length <= MAX_STAT_BYTES) [min, max] = [lo, hi];
        break;
      }
        // Floats: left out (NaN and signed-zero rules make them easy to get wrong and they are optional).
    }
  }
  return struct([
    [3, i64(c.nullCount)],
    [5, max && binary(max)],
    [6, min && binary(min)],
  ]);
}

function int32Bytes(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, n, true);
  return b;
}

function int64Bytes(n: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, n, true);
  return b;
}

function bigEndian(n: bigint, width: number): Uint8Array {
  const b = new Uint8Array(width);
  let x = BigInt.asUintN(8 * width, n);
  for (let i = width - 1; i >= 0; i--) {
    b[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return b;
}

/** The SchemaElement of a primitive column (types as delta-lake.md §5 and Spark write them). */
function schemaElement(c: PrimitiveColumn): ThriftValue {
  const f = c.field;
  const type = f.type as string;
  let converted: number | undefined;
  let logical: ThriftValue | undefined;
  let scale: number | undefined;
  let precision: number | undefined;
  const dec = decimalParts(f.type);
  if (dec) {
    converted = ConvertedType.DECIMAL;
    ({ scale, precision } = dec);
    logical = struct([[5, struct([[1, i32(dec.scale)], [2, i32(dec.precision)]])]]);
  } else {
    switch (type) {
      case "string":
        converted = ConvertedType.UTF8;
        logical = struct([[1, struct([])]]);
        break;
      case "date":
        converted = ConvertedType.DATE;
        logical = struct([[6, struct([])]]);
        break;
      case "byte":
      case "short":
        converted = type === "byte" ? ConvertedType.INT_8 : ConvertedType.INT_16;
        logical = struct([[
          10,
          struct([[1, { type: 3, write: (o) => o.byte(type === "byte" ? 8 : 16) }], [
            2,
            bool(true),
          ]]),
        ]]);
        break;
      case "timestamp":
      case "timestamp_ntz": {
        const utc = type === "timestamp";
        // TIMESTAMP_MICROS means UTC-adjusted, so wall-clock timestamps carry the logical type only.
        converted = utc ? ConvertedType.TIMESTAMP_MICROS : undefined;
        logical = struct([[8, struct([[1, bool(utc)], [2, struct([[2, struct([])]])]])]]);
        break;
      }
    }
  }
  return struct([
    [1, i32(c.physical)],
    [2, c.physical === Physical.FIXED_LEN_BYTE_ARRAY ? i32(c.typeLength) : undefined],
    [3, i32(f.nullable ? 1 : 0)],
    [4, binary(f.name)],
    [6, converted === undefined ? undefined : i32(converted)],
    [7, scale === undefined ? undefined : i32(scale)],
    [8, precision === undefined ? undefined : i32(precision)],
    [10, logical],
  ]);
}

/** `ARROW:schema` by the fields' JSON: a table's files share it, and building it took ~0.4 ms per file. */
const arrowSchemas = new Map<string, string>();

/** `ARROW:schema`: the Arrow IPC schema message, base64, as arrow-rs writes it. */
function arrowSchemaMetadata(fields: StructField[]): string {
  const id = JSON.stringify(fields);
  let meta = arrowSchemas.get(id);
  if (meta === undefined) {
    const ipc = arrow.tableToIPC(new arrow.Table(arrowSchema(fields)), "stream");
    // The stream is the schema message followed by the 8-byte end-of-stream marker.
    meta = encodeBase64(ipc.subarray(0, ipc.length - 8));
    // Bounded for processes that see many schemas (schema evolution, tests).
    if (arrowSchemas.size >= 256) arrowSchemas.clear();
    arrowSchemas.set(id, meta);
  }
  return meta;
}

function fileMetaData(
  columns: readonly PrimitiveColumn[],
  rows: number,
  chunks: ChunkInfo[],
  createdBy: string,
): ThriftValue {
  const root = struct([[4, binary("schema")], [5, i32(columns.length)]]);
  let totalCompressed = 0;
  let totalUncompressed = 0;
  for (const ch of chunks) {
    totalCompressed += ch.compressed;
    totalUncompressed += ch.uncompressed;
  }
  const rowGroups = chunks.length
    ? [struct([
      [1, list(chunks.map((ch) => struct([[2, i64(ch.offset)], [3, ch.meta]])))],
      [2, i64(totalUncompressed)],
      [3, i64(rows)],
      [5, i64(chunks[0].offset)],
      [6, i64(totalCompressed)],
      [7, { type: 4, write: (o) => o.zigzag(0) }],
    ])]
    : [];
  return struct([
    [1, i32(1)],
    [2, list([root, ...columns.map(schemaElement)])],
    [3, i64(rows)],
    [4, list(rowGroups, 12)],
    [
      5,
      list([
        struct([[1, binary("ARROW:schema")], [2, binary(arrowSchemaMetadata(columns.map((c) => c.field)))]]),
      ]),
    ],
    [6, binary(createdBy)],
    [7, list(columns.map(() => struct([[1, struct([])]])))],
  ]);
}
