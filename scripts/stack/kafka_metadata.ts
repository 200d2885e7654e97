/**
 * A Kafka Metadata request (API key 3, version 4) over one TCP connection: the broker health probe. Written
 * out rather than done through kafkajs, whose request queue arms negative timers that newer Node semantics
 * report as a warning on every probe, and because a probe needs only this one request.
 *
 * Wire format (Kafka protocol guide, non-flexible versions): every message is an int32 size followed by the
 * message; strings are int16 length + UTF-8 (-1 = null); arrays are int32 count + items (-1 = null).
 *
 * @module
 */

/** What a Metadata response says about the cluster. */
export interface KafkaMetadata {
  clusterId: string | null;
  controllerId: number;
  brokers: { nodeId: number; host: string; port: number }[];
  topics: { name: string; errorCode: number; internal: boolean; partitions: number }[];
}

const METADATA = 3;
const VERSION = 4;

/** Encodes a size-prefixed Metadata v4 request for all topics, without auto-creating any. */
export function encodeMetadataRequest(correlationId: number, clientId: string): Uint8Array {
  const id = new TextEncoder().encode(clientId);
  // header: api key, api version, correlation id, client id; body: topics = null, allow_auto_topic_creation
  const size = 2 + 2 + 4 + 2 + id.length + 4 + 1;
  const buf = new Uint8Array(4 + size);
  const view = new DataView(buf.buffer);
  view.setInt32(0, size);
  view.setInt16(4, METADATA);
  view.setInt16(6, VERSION);
  view.setInt32(8, correlationId);
  view.setInt16(12, id.length);
  buf.set(id, 14);
  view.setInt32(14 + id.length, -1);
  view.setInt8(18 + id.length, 0);
  return buf;
}

/** Reads big-endian protocol primitives from a response, failing clearly when it is cut short. */
class Reader {
  #view: DataView;
  #pos = 0;
  constructor(readonly bytes: Uint8Array) {
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  #need(n: number): number {
    if (this.#pos + n > this.bytes.length) {
      throw new SyntaxError(`Cannot decode a Kafka Metadata response: truncated at byte ${this.#pos}`);
    }
    const at = this.#pos;
    this.#pos += n;
    return at;
  }
  int8 = () => this.#view.getInt8(this.#need(1));
  int16 = () => this.#view.getInt16(this.#need(2));
  int32 = () => this.#view.getInt32(this.#need(4));
  nullableString = (): string | null => {
    const len = this.int16();
    if (len < 0) return null;
    const at = this.#need(len);
    return new TextDecoder().decode(this.bytes.subarray(at, at + len));
  };
  string = (): string => this.nullableString() ?? "";
  array = <T>(item: () => T): T[] => {
    const n = this.int32();
    return Array.from({ length: Math.max(0, n) }, item);
  };
}

/**
 * Decodes a Metadata v4 response (without its size prefix) for `correlationId`.
 *
 * @throws {SyntaxError} when the bytes are not such a response.
 */
export function decodeMetadataResponse(bytes: Uint8Array, correlationId: number): KafkaMetadata {
  const r = new Reader(bytes);
  const got = r.int32();
  if (got !== correlationId) {
    throw new SyntaxError(
      `Cannot decode a Kafka Metadata response: correlation id ${got}, expected ${correlationId}`,
    );
  }
  r.int32(); // throttle_time_ms
  const brokers = r.array(() => {
    const nodeId = r.int32();
    const host = r.string();
    const port = r.int32();
    r.nullableString(); // rack
    return { nodeId, host, port };
  });
  const clusterId = r.nullableString();
  const controllerId = r.int32();
  const topics = r.array(() => {
    const errorCode = r.int16();
    const name = r.string();
    const internal = r.int8() !== 0;
    const partitions = r.array(() => {
      r.int16(); // error_code
      r.int32(); // partition_index
      r.int32(); // leader_id
      r.array(r.int32); // replica_nodes
      r.array(r.int32); // isr_nodes
    }).length;
    return { name, errorCode, internal, partitions };
  });
  return { clusterId, controllerId, brokers, topics };
}

async function readExactly(conn: Deno.Conn, n: number): Promise<Uint8Array> {
  const buf = new Uint8Array(n);
  for (let off = 0; off < n;) {
    const got = await conn.read(buf.subarray(off));
    if (got === null) throw new Error(`Kafka closed the connection after ${off} of ${n} bytes`);
    off += got;
  }
  return buf;
}

/** Sends one Metadata request to `host:port` and returns the decoded answer. */
export async function fetchKafkaMetadata(
  host: string,
  port: number,
  signal: AbortSignal,
): Promise<KafkaMetadata> {
  const conn = await Deno.connect({ hostname: host, port, signal });
  const onAbort = () => conn.close();
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    // One request per connection: any fixed correlation id identifies its answer.
    const correlationId = 1;
    const request = encodeMetadataRequest(correlationId, "lakestream-stack-probe");
    for (let off = 0; off < request.length;) off += await conn.write(request.subarray(off));
    const size = new DataView((await readExactly(conn, 4)).buffer).getInt32(0);
    if (size < 8 || size > 64 * 2 ** 20) {
      throw new SyntaxError(`Kafka answered with an implausible size ${size}`);
    }
    return decodeMetadataResponse(await readExactly(conn, size), correlationId);
  } catch (e) {
    if (signal.aborted) throw signal.reason;
    throw e;
  } finally {
    signal.removeEventListener("abort", onAbort);
    if (!signal.aborted) conn.close();
  }
}
