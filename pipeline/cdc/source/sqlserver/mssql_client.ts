/**
 * {@linkcode SqlServerCdcClient} over npm `mssql` (tedious): the thin IO layer of the SQL Server source. It only
 * runs the CDC queries; every decision (windows, pairing, types) is in the pure core. Each captured column is
 * selected as its {@linkcode ColumnReader} says (values the driver would read lossily are cast to text, see
 * `column_readers.ts`); the column types come from SQL Server's own metadata ({@linkcode CAPTURED_COLUMNS_QUERY});
 * commit times are text with their offset.
 *
 * SQL Server cannot run on the development machines (debezium.md §C.1): this file is type-checked, not run.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import sql from "mssql";
import type { CaptureInstance, CdcRow, SqlServerCdcClient } from "./cdc_client.ts";
import { lsnOf } from "./cdc_client.ts";
import { type ColumnReader, quoteName, selectList, type SqlColumn } from "./column_readers.ts";
import { lsnBytes } from "./lsn.ts";

/** Where the CDC-enabled database is. */
export interface MssqlConfig {
  server: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** @default false (local development servers have self-signed certificates) */
  encrypt?: boolean;
}

/**
 * The captured columns of capture instance @ci with their types, from the change table's `sys.columns` (the
 * source table may have changed since the instance was created; the change table has not). Alias types (`sysname`,
 * user types) resolve to their system base type; CLR types (`geometry`, `hierarchyid`) keep their own name.
 */
export const CAPTURED_COLUMNS_QUERY = `SELECT cc.column_name AS name, cc.column_ordinal AS ordinal,
  COALESCE(bt.name, ut.name) AS type, c.precision AS precision, c.scale AS scale
FROM cdc.change_tables ct
JOIN cdc.captured_columns cc ON cc.object_id = ct.object_id
JOIN sys.columns c ON c.object_id = ct.object_id AND c.name = cc.column_name
JOIN sys.types ut ON ut.user_type_id = c.user_type_id
LEFT JOIN sys.types bt ON bt.user_type_id = c.system_type_id AND bt.is_user_defined = 0
WHERE ct.capture_instance = @ci
ORDER BY cc.column_ordinal`;

/** The rows of {@linkcode CAPTURED_COLUMNS_QUERY} as column metadata; throws on a row it cannot read. */
export function sqlColumnsOf(ci: string, rows: readonly Record<string, unknown>[]): SqlColumn[] {
  return rows.map((r) => {
    const [ordinal, precision, scale] = [Number(r.ordinal), Number(r.precision), Number(r.scale)];
    if (
      typeof r.name !== "string" || typeof r.type !== "string" || !Number.isInteger(ordinal) ||
      !Number.isInteger(precision) || !Number.isInteger(scale)
    ) {
      throw new TypeError(`Cannot read the captured columns of "${ci}": unexpected row ${JSON.stringify(r)}`);
    }
    return { name: r.name, ordinal, type: r.type.toLowerCase(), precision, scale };
  });
}

/** The query of one LSN window of capture instance `ci` (parameters @from and @to). */
export function changesQuery(ci: string, readers: ReadonlyMap<string, ColumnReader>): string {
  return `SELECT [__$start_lsn] AS [__start_lsn], [__$seqval] AS [__seqval], [__$operation] AS [__operation],
  CONVERT(varchar(40), TODATETIMEOFFSET(sys.fn_cdc_map_lsn_to_time([__$start_lsn]),
    DATEPART(TZOFFSET, SYSDATETIMEOFFSET())), 127) AS [__commit_time],
  ${selectList(readers)}
FROM cdc.${quoteName(`fn_cdc_get_all_changes_${ci}`)}(@from, @to, N'all update old')
ORDER BY [__$start_lsn], [__$seqval], [__$operation]`;
}

/**
 * The snapshot query of a captured table (parameter @after when `after.value` is not null). The key is
 * qualified with the table alias: unqualified, ORDER BY would sort by the select list's text cast of it.
 */
export function snapshotQuery(
  ci: CaptureInstance,
  readers: ReadonlyMap<string, ColumnReader>,
  after?: { column: string; value: unknown },
): string {
  const from = `SELECT ${selectList(readers)} FROM ${quoteName(ci.sourceSchema)}.${
    quoteName(ci.sourceTable)
  } AS src`;
  if (!after) return from;
  const k = `src.${quoteName(after.column)}`;
  return after.value === null ? `${from} ORDER BY ${k}` : `${from} WHERE ${k} > @after ORDER BY ${k}`;
}

class MssqlCdcClient implements SqlServerCdcClient {
  constructor(readonly pool: sql.ConnectionPool) {}

  async #one(
    query: string,
    params: Record<string, [sql.ISqlType | (() => sql.ISqlType), unknown]> = {},
  ): Promise<Record<string, unknown>[]> {
    const request = this.pool.request();
    for (const [name, [type, value]] of Object.entries(params)) request.input(name, type, value);
    return (await request.query(query)).recordset as Record<string, unknown>[];
  }

  async maxLsn(): Promise<string | null> {
    const l = (await this.#one("SELECT sys.fn_cdc_get_max_lsn() AS l"))[0].l;
    return l === null ? null : lsnOf(l, "max LSN");
  }

  async nthTransactionLsn(from: string, n: number): Promise<string | null> {
    // Debezium's query (SqlServerConnection): the window ends at the n-th committed transaction.
    const rows = await this.#one(
      `SELECT MAX(start_lsn) AS l, COUNT(*) AS n FROM (SELECT TOP (@n) start_lsn FROM cdc.lsn_time_mapping
        WHERE start_lsn > @from AND tran_id <> 0x00 ORDER BY start_lsn) t`,
      { n: [sql.Int, n], from: [sql.VarBinary(10), Buffer.from(lsnBytes(from))] },
    );
    return Number(rows[0].n) >= n && rows[0].l !== null ? lsnOf(rows[0].l, "window end LSN") : null;
  }

  async minLsn(ci: string): Promise<string> {
    const rows = await this.#one("SELECT sys.fn_cdc_get_min_lsn(@ci) AS l", { ci: [sql.NVarChar(128), ci] });
    return lsnOf(rows[0].l, `min LSN of ${ci}`);
  }

  async captureInstances(): Promise<CaptureInstance[]> {
    const rows = await this.#one(
      `SELECT ct.capture_instance AS name, ct.object_id AS id, OBJECT_SCHEMA_NAME(ct.source_object_id) AS s,
      OBJECT_NAME(ct.source_object_id) AS t,
      (SELECT STRING_AGG(ic.column_name, ',') WITHIN GROUP (ORDER BY ic.index_ordinal)
         FROM cdc.index_columns ic WHERE ic.object_id = ct.object_id) AS k
      FROM cdc.change_tables ct ORDER BY ct.capture_instance`,
    );
    return rows.map((r) => ({
      name: String(r.name),
      sourceSchema: String(r.s),
      sourceTable: String(r.t),
      keyColumns: r.k ? String(r.k).split(",") : undefined,
      objectId: Number(r.id),
    }));
  }

  async capturedColumns(ci: CaptureInstance): Promise<SqlColumn[]> {
    const rows = await this.#one(CAPTURED_COLUMNS_QUERY, { ci: [sql.NVarChar(128), ci.name] });
    return sqlColumnsOf(ci.name, rows);
  }

  async changes(
    ci: CaptureInstance,
    readers: ReadonlyMap<string, ColumnReader>,
    from: string,
    to: string,
  ): Promise<CdcRow[]> {
    const rows = await this.#one(changesQuery(ci.name, readers), {
      from: [sql.VarBinary(10), Buffer.from(lsnBytes(from))],
      to: [sql.VarBinary(10), Buffer.from(lsnBytes(to))],
    });
    return rows.map((r) => {
      const { __start_lsn, __seqval, __operation, __commit_time, ...cols } = r;
      return {
        startLsn: lsnOf(__start_lsn, "__$start_lsn"),
        seqval: lsnOf(__seqval, "__$seqval"),
        operation: Number(__operation),
        commitTime: String(__commit_time),
        columns: cols,
      };
    });
  }

  tableRows(
    ci: CaptureInstance,
    readers: ReadonlyMap<string, ColumnReader>,
    after?: { column: string; value: unknown },
  ): Promise<Record<string, unknown>[]> {
    return this.#one(
      snapshotQuery(ci, readers, after),
      after && after.value !== null ? { after: [sql.NVarChar(4000), String(after.value)] } : {},
    );
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

/** Connects to SQL Server; `useUTC` reads wall-clock values as UTC, Debezium's convention. */
export async function connectMssql(config: MssqlConfig): Promise<SqlServerCdcClient> {
  const pool = new sql.ConnectionPool({
    server: config.server,
    port: config.port,
    user: config.user,
    password: config.password,
    database: config.database,
    options: { encrypt: config.encrypt ?? false, trustServerCertificate: true, useUTC: true },
  });
  await pool.connect();
  return new MssqlCdcClient(pool);
}
