/**
 * {@linkcode SqlServerCdcClient} over npm `mssql` (tedious): the thin IO layer of the SQL Server source. It only
 * runs the CDC queries; every decision (windows, pairing, types) is in the pure core. Values that the driver
 * would turn into lossy JS numbers or zone-shifted Dates are cast to text in SQL: decimals with
 * `CONVERT(varchar(50), col)`, datetime2 with `CONVERT(varchar(33), col, 126)`, commit times with their offset.
 *
 * SQL Server cannot run on the development machines (debezium.md §C.1): this file is type-checked, not run.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import sql from "mssql";
import type { ColumnDef } from "../../../catalog/mod.ts";
import type { CaptureInstance, CdcRow, SqlServerCdcClient } from "./cdc_client.ts";
import { lsnOf } from "./cdc_client.ts";
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

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function quote(name: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new RangeError(`Cannot query SQL Server object "${name}": not a plain identifier`);
  }
  return `[${name}]`;
}

/** The select list of captured columns, casting what the driver would read lossily. */
export function selectList(columns: readonly ColumnDef[] | null): string {
  if (columns === null) return "*";
  return columns.map((c) => {
    const q = quote(c.source);
    if (c.type.startsWith("decimal")) return `CONVERT(varchar(50), ${q}) AS ${q}`;
    if (c.type === "timestamp" || c.type === "timestamp_ntz") {
      return `CONVERT(varchar(33), ${q}, 126) AS ${q}`;
    }
    return q;
  }).join(", ");
}

/** The query of one LSN window of capture instance `ci` (parameters @from and @to). */
export function changesQuery(ci: string, columns: readonly ColumnDef[] | null): string {
  return `SELECT [__$start_lsn] AS [__start_lsn], [__$seqval] AS [__seqval], [__$operation] AS [__operation],
  CONVERT(varchar(40), TODATETIMEOFFSET(sys.fn_cdc_map_lsn_to_time([__$start_lsn]),
    DATEPART(TZOFFSET, SYSDATETIMEOFFSET())), 127) AS [__commit_time],
  ${selectList(columns)}
FROM cdc.${quote(`fn_cdc_get_all_changes_${ci}`)}(@from, @to, N'all update old')
ORDER BY [__$start_lsn], [__$seqval], [__$operation]`;
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
      `SELECT ct.capture_instance AS name, OBJECT_SCHEMA_NAME(ct.source_object_id) AS s,
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
    }));
  }

  async changes(
    ci: CaptureInstance,
    columns: readonly ColumnDef[] | null,
    from: string,
    to: string,
  ): Promise<CdcRow[]> {
    const rows = await this.#one(changesQuery(ci.name, columns), {
      from: [sql.VarBinary(10), Buffer.from(lsnBytes(from))],
      to: [sql.VarBinary(10), Buffer.from(lsnBytes(to))],
    });
    return rows.map((r) => {
      const { __start_lsn, __seqval, __operation, __commit_time, ...rest } = r;
      const cols: Record<string, unknown> = {};
      for (const k in rest) if (!k.startsWith("__$")) cols[k] = rest[k];
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
    columns: readonly ColumnDef[] | null,
    after?: { column: string; value: unknown },
  ): Promise<Record<string, unknown>[]> {
    const from = `SELECT ${selectList(columns)} FROM ${quote(ci.sourceSchema)}.${quote(ci.sourceTable)}`;
    if (!after) return this.#one(from);
    const k = quote(after.column);
    if (after.value === null) return this.#one(`${from} ORDER BY ${k}`);
    return this.#one(`${from} WHERE ${k} > @after ORDER BY ${k}`, {
      after: [sql.NVarChar(4000), String(after.value)],
    });
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
