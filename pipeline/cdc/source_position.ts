/**
 * Source positions: fixed-width text that compares lexicographically (plain `<` on strings) in the source
 * database's commit order, so operators can order and deduplicate changes without knowing the source.
 *
 * | source | layout | width |
 * |---|---|---|
 * | SQL Server | `commit_lsn/change_lsn/event_serial_no` (`0000002b:00000557:0005/0000002b:00000557:0003/0000000001`) | 56 |
 * | PostgreSQL | `last_commit_lsn/lsn/sub`, 16 hex digits each, sub 20 digits (`00000000020cbd20/00000000020cbd58/00000000000000000000`) | 54 |
 * | MySQL | `binlog file/pos/row` (`mysql-bin.000003/00000000000000000154/0000000000`) | file + 32 |
 * | SQLite | `seq/sub`, zero-padded (`00000000000000000042/0000000000`) | 31 |
 *
 * Positions of different sources are never compared with each other.
 *
 * @module
 */

const LSN_HEX = /^[0-9a-fA-F]{1,20}$/;
const SERIAL_DIGITS = 10;
const SEQ_DIGITS = 20;
const MAX_SERIAL = 10n ** BigInt(SERIAL_DIGITS) - 1n;
const MAX_SEQ = 2n ** 63n - 1n;
const ZERO_LSN = "00000000:00000000:0000";
const ZEROS = "00000000000000000000";

/** Whether `text` is already `xxxxxxxx:xxxxxxxx:xxxx` in lower-case hex (a regular expression cost more). */
function isDebeziumLsn(text: string): boolean {
  if (text.length !== 22) return false;
  for (let i = 0; i < 22; i++) {
    const c = text.charCodeAt(i);
    if (i === 8 || i === 17 ? c !== 58 : !((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/** `n` (a safe integer ≥ 0) in decimal, left-padded with zeros to `width` ≤ 20 digits. */
function padded(n: number, width: number): string {
  const t = String(n);
  return t.length >= width ? t : ZEROS.slice(0, width - t.length) + t;
}

/**
 * Normalizes SQL Server LSN text (`binary(10)` as hex, with or without the `:` separators Debezium writes) to
 * Debezium's lower-case `xxxxxxxx:xxxxxxxx:xxxx` form, left-padding shorter hex with zeros.
 */
export function normalizeLsn(text: string): string {
  if (isDebeziumLsn(text)) return text;
  const hex = text.replaceAll(":", "");
  if (!LSN_HEX.test(hex)) {
    throw new SyntaxError(`Cannot parse SQL Server LSN "${text}": expected up to 20 hex digits`);
  }
  const h = hex.toLowerCase().padStart(20, "0");
  return `${h.slice(0, 8)}:${h.slice(8, 16)}:${h.slice(16)}`;
}

/** The parts of a SQL Server position. */
export interface SqlServerPositionParts {
  /** CDC `__$start_lsn` (the transaction's commit LSN). */
  commitLsn: string;
  /** CDC `__$seqval` (order within the transaction); null for snapshot rows. */
  changeLsn: string | null;
  /** 1, or 2 for the merged update and the create half of a key change; null for snapshot rows. */
  eventSerialNo: bigint | number | null;
}

function serialText(n: bigint | number | null, what: string): string {
  if (typeof n === "number" && Number.isSafeInteger(n) && n >= 0 && n <= 9_999_999_999) {
    return padded(n, SERIAL_DIGITS);
  }
  const v = n === null ? 0n : BigInt(n);
  if (v < 0n || v > MAX_SERIAL) {
    throw new RangeError(`Cannot build ${what} position: ${v} is outside 0–${MAX_SERIAL}`);
  }
  return v.toString().padStart(SERIAL_DIGITS, "0");
}

/**
 * SQL Server position: commit LSN, change LSN, event serial number. Snapshot rows (no change LSN) sort before
 * every change of a later transaction, as streaming starts after the snapshot's commit LSN.
 */
export function sqlServerPosition(parts: SqlServerPositionParts): string {
  const change = parts.changeLsn === null ? ZERO_LSN : normalizeLsn(parts.changeLsn);
  return `${normalizeLsn(parts.commitLsn)}/${change}/${serialText(parts.eventSerialNo, "SQL Server")}`;
}

/** The parts of a position made by {@linkcode sqlServerPosition} (serial 0 for snapshot rows). */
export function parseSqlServerPosition(
  position: string,
): { commitLsn: string; changeLsn: string; eventSerialNo: bigint } {
  const m = /^([0-9a-f]{8}:[0-9a-f]{8}:[0-9a-f]{4})\/([0-9a-f]{8}:[0-9a-f]{8}:[0-9a-f]{4})\/(\d{10})$/.exec(
    position,
  );
  if (!m) throw new SyntaxError(`Cannot parse SQL Server position "${position}"`);
  return { commitLsn: m[1], changeLsn: m[2], eventSerialNo: BigInt(m[3]) };
}

const HEX16 = "0000000000000000";
const HEX_DIGITS = new Array<number>(16).fill(0);

function hex16(v: bigint | number, what: string): string {
  if (typeof v === "number" ? !Number.isSafeInteger(v) || v < 0 : v < 0n || v >= 2n ** 64n) {
    throw new RangeError(`Cannot build PostgreSQL position: ${what} ${v} is not a 64-bit LSN`);
  }
  if (typeof v === "number") {
    // Digit by digit from two 32-bit halves: half the time of Number#toString(16) and padding.
    const hi = Math.floor(v / 4294967296);
    const lo = v >>> 0;
    for (let i = 0; i < 8; i++) {
      const h = (hi >>> (28 - i * 4)) & 15;
      const l = (lo >>> (28 - i * 4)) & 15;
      HEX_DIGITS[i] = h < 10 ? 48 + h : 87 + h;
      HEX_DIGITS[8 + i] = l < 10 ? 48 + l : 87 + l;
    }
    return String.fromCharCode.apply(null, HEX_DIGITS);
  }
  const h = v.toString(16);
  return HEX16.slice(h.length) + h;
}

/** The parts of a PostgreSQL position. */
export interface PostgresPositionParts {
  /**
   * LSN of the last COMMIT the connector processed before this event (`source.sequence[0]`): it grows in commit
   * order, so it orders interleaved transactions that the event LSNs alone do not. Null before the first commit
   * after a fresh start (and in Debezium < 1.5, which has no `sequence`).
   */
  lastCommitLsn: bigint | number | null;
  /** LSN of the event (`source.lsn`); null for incremental-snapshot rows. */
  lsn: bigint | number | null;
  /**
   * Order among events that share an LSN: the rows of a snapshot all carry the snapshot's LSN. The decoder uses
   * the Kafka offset when it has one (the same after a restart), else it numbers them in arrival order.
   * @default 0
   */
  sub?: bigint | number;
}

/** PostgreSQL position: `(last commit LSN, event LSN, sub)`: 16 hex digits, 16 hex digits, 20 digits. */
export function postgresPosition(parts: PostgresPositionParts): string {
  const n = parts.sub ?? 0;
  let sub: string;
  if (typeof n === "number" && Number.isSafeInteger(n) && n >= 0) {
    sub = padded(n, SEQ_DIGITS); // below MAX_SEQ: no BigInt for the usual sub
  } else {
    const v = BigInt(n);
    if (v < 0n || v > MAX_SEQ) {
      throw new RangeError(`Cannot build PostgreSQL position: sub ${v} is outside 0–${MAX_SEQ}`);
    }
    sub = v.toString().padStart(SEQ_DIGITS, "0");
  }
  return `${hex16(parts.lastCommitLsn ?? 0, "commit LSN")}/${hex16(parts.lsn ?? 0, "LSN")}/${sub}`;
}

/** The parts of a position made by {@linkcode postgresPosition} (0 where the source had null). */
export function parsePostgresPosition(position: string): { lastCommitLsn: bigint; lsn: bigint; sub: bigint } {
  const m = /^([0-9a-f]{16})\/([0-9a-f]{16})\/(\d{20})$/.exec(position);
  if (!m) throw new SyntaxError(`Cannot parse PostgreSQL position "${position}"`);
  return { lastCommitLsn: BigInt("0x" + m[1]), lsn: BigInt("0x" + m[2]), sub: BigInt(m[3]) };
}

/** MySQL position: binlog file (its numeric suffix is zero-padded by MySQL), offset in the file, row in the event. */
export function mysqlPosition(file: string, pos: bigint | number, row: bigint | number): string {
  const p = BigInt(pos);
  if (p < 0n || p > MAX_SEQ) {
    throw new RangeError(`Cannot build MySQL position: binlog offset ${p} is out of range`);
  }
  return `${file}/${p.toString().padStart(SEQ_DIGITS, "0")}/${serialText(row, "MySQL")}`;
}

/**
 * SQLite position: the `_changes.seq` of a change, and `sub` 0. Snapshot rows read while `max(seq)` was N get
 * `(N, 1…)`: after every change they include, before every later change.
 */
export function sqlitePosition(seq: bigint | number, sub: bigint | number = 0): string {
  const s = BigInt(seq);
  if (s < 0n || s > MAX_SEQ) throw new RangeError(`Cannot build SQLite position: seq ${s} is out of range`);
  return `${s.toString().padStart(SEQ_DIGITS, "0")}/${serialText(sub, "SQLite")}`;
}

/** The parts of a position made by {@linkcode sqlitePosition}. */
export function parseSqlitePosition(position: string): { seq: bigint; sub: bigint } {
  const m = /^(\d{20})\/(\d{10})$/.exec(position);
  if (!m) throw new SyntaxError(`Cannot parse SQLite position "${position}"`);
  return { seq: BigInt(m[1]), sub: BigInt(m[2]) };
}

/** -1, 0 or 1: commit order of two positions of the same source. */
export function comparePositions(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
