/**
 * The dashboard's data layer on a Delta lake: one {@linkcode TableTailer} per table, the in-memory
 * {@linkcode DashboardModel}, and the {@linkcode StreamHub} it publishes patches to. It reads only the Delta
 * tables (local path or s3:// URI), so it runs anywhere the lake is reachable.
 *
 * @module
 */
import {
  loadSnapshot,
  NotFoundError,
  type ObjectStore,
  openStore,
  readCommit,
  readDataFile,
  sharedS3Client,
  type Snapshot,
  type TableShape,
  typeToString,
} from "../../pipeline/delta/mod.ts";
import type {
  DashboardData,
  HealthReport,
  LakeCommit,
  LakeTableDetail,
  LakeTableInfo,
} from "../dashboard_data.ts";
import type { CustomerHistory, CustomerSummary, TableStats } from "../protocol/mod.ts";
import { StreamHub, type StreamHubOptions } from "../sse/stream_hub.ts";
import { DashboardModel, TABLE_PLANS } from "../views/dashboard_model.ts";
import { textOf } from "../views/row_values.ts";
import { freshnessLevel } from "../islands/StatusBar.tsx";
import { TableTailer } from "./table_tailer.ts";

/** Options of {@linkcode LakeDashboard.open}. */
export interface LakeDashboardOptions {
  /** The lake: a local folder or `s3://bucket/prefix` holding one folder per table. */
  lake: string;
  /** Opens the store of one table URI. @default openStore (AWS_* variables for S3) */
  openStore?: (uri: string) => ObjectStore;
  /**
   * How often the logs are checked for new commits, in ms. Local lakes are also watched for file events, which
   * wake the loop at once. @default 1000 for local lakes (watched), 500 for S3
   */
  pollMs?: number;
  /** Recompute time-dependent figures (KPIs roll over at midnight, "events/s" decays) this often. @default 5000 */
  tickMs?: number;
  /** Clock (epoch ms). @default Date.now */
  now?: () => number;
  /** Hub settings; the epoch defaults to a random id of this process. */
  hub?: Partial<StreamHubOptions>;
  /** Called with errors of the background loop (one table failing to read does not stop the others). */
  onError?: (error: unknown) => void;
  /** Called with notices, such as a table read again because its log could not be followed. @default console.warn */
  log?: (message: string) => void;
}

type ResolvedOptions = LakeDashboardOptions & {
  now: () => number;
  onError: (e: unknown) => void;
  log: (message: string) => void;
};

const RESCAN_MISSING_MS = 2000;
const HISTORY_SHOWN = 50;
const SAMPLE_ROWS = 20;

function joinUri(lake: string, name: string): string {
  return `${lake.replace(/\/+$/, "")}/${name}`;
}

function isLocal(lake: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(lake) || lake.startsWith("file://");
}

function localPath(lake: string): string {
  return lake.startsWith("file://") ? decodeURIComponent(new URL(lake).pathname) : lake;
}

/** The dashboard's view of one lake. */
export class LakeDashboard implements DashboardData {
  readonly hub: StreamHub;
  readonly #model: DashboardModel;
  readonly #tailers = new Map<string, TableTailer>();
  readonly #opts: ResolvedOptions;
  readonly #s3Client = sharedS3Client();
  #lastMissingScan = 0;
  #lastTick = 0;
  #ready = false;

  private constructor(opts: ResolvedOptions, model: DashboardModel, hub: StreamHub) {
    this.#opts = opts;
    this.#model = model;
    this.hub = hub;
  }

  /** Reads the lake's current state (every followed table) and prepares the hub. */
  static async open(options: LakeDashboardOptions): Promise<LakeDashboard> {
    const opts = {
      ...options,
      now: options.now ?? Date.now,
      onError: options.onError ?? ((e: unknown) => console.error("Dashboard lake reader:", e)),
      log: options.log ?? ((message: string) => console.warn(message)),
    };
    const model = new DashboardModel();
    const epoch = options.hub?.epoch ?? crypto.randomUUID().slice(0, 8);
    const dashboard = new LakeDashboard(
      opts,
      model,
      new StreamHub(model.doc(opts.now()), { ...options.hub, epoch }),
    );
    await dashboard.#discover();
    await dashboard.#pollAll(false);
    dashboard.hub.publish(model.takePatch(opts.now()));
    dashboard.#ready = true;
    return dashboard;
  }

  /** The lake URI as shown on pages. */
  get lake(): string {
    return this.#opts.lake;
  }

  #store(name: string): ObjectStore {
    return (this.#opts.openStore ?? ((uri: string) => openStore(uri, { s3Client: this.#s3Client })))(
      joinUri(this.#opts.lake, name),
    );
  }

  /** Adds tailers for the planned tables and, for local lakes, any other folder holding a Delta log. */
  async #discover(): Promise<void> {
    const names = new Set(TABLE_PLANS.keys());
    if (isLocal(this.#opts.lake)) {
      try {
        for await (const e of Deno.readDir(localPath(this.#opts.lake))) {
          if (e.isDirectory && !e.name.startsWith(".") && !names.has(e.name)) {
            try {
              if ((await Deno.stat(`${localPath(this.#opts.lake)}/${e.name}/_delta_log`)).isDirectory) {
                names.add(e.name);
              }
            } catch (err) {
              if (!(err instanceof Deno.errors.NotFound)) throw err;
            }
          }
        }
      } catch (e) {
        // The lake folder does not exist yet: the processor creates it with its first commit.
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      }
    }
    for (const name of names) {
      if (!this.#tailers.has(name)) {
        this.#tailers.set(
          name,
          new TableTailer(name, this.#store(name), { plan: TABLE_PLANS.get(name) ?? null }),
        );
      }
    }
  }

  /** Polls every table once; returns whether anything changed. */
  async #pollAll(live: boolean): Promise<boolean> {
    // Scheduling uses the monotonic clock; the injected clock is for what the figures say.
    const now = performance.now();
    const scanMissing = this.#lastMissingScan === 0 || now - this.#lastMissingScan >= RESCAN_MISSING_MS;
    if (scanMissing) {
      this.#lastMissingScan = now;
      if (live) await this.#discover();
    }
    const tailers = [...this.#tailers.values()].filter((t) => t.snapshot !== null || scanMissing);
    const results = await Promise.all(tailers.map(async (t) => {
      try {
        // Checking that a quiet table is still the one read costs a request, so it runs at the rescan pace.
        return await t.poll(scanMissing);
      } catch (e) {
        this.#opts.onError(
          new Error(`Cannot follow table "${t.name}" in "${this.#opts.lake}"`, { cause: e }),
        );
        return [];
      }
    }));
    let changed = false;
    for (const changes of results) {
      for (const c of changes) {
        if (c.reset !== undefined) {
          this.#opts.log(
            `Dashboard: reset table "${c.table}" in "${this.#opts.lake}": ${c.reset}`,
          );
        }
        this.#model.apply(c, live);
        changed = true;
      }
    }
    if (changed) this.#model.setStats(this.#stats());
    return changed;
  }

  #stats(): TableStats[] {
    return [...this.#tailers.values()].map((t) => t.stats()).filter((s): s is TableStats => s !== null);
  }

  /**
   * Follows the lake until `signal` aborts: new commits become patches on the hub within one poll (local lakes:
   * at once, on file events). Ends the hub's streams when it stops.
   */
  async run(signal: AbortSignal): Promise<void> {
    const local = isLocal(this.#opts.lake);
    const pollMs = this.#opts.pollMs ?? (local ? 1000 : 500);
    const tickMs = this.#opts.tickMs ?? 5000;
    let wake: (() => void) | null = null;
    let pending = false;
    const poke = () => {
      pending = true;
      wake?.();
    };
    signal.addEventListener("abort", poke, { once: true });
    let watcher: Deno.FsWatcher | null = null;
    const watch = async () => {
      try {
        watcher = Deno.watchFs(localPath(this.#opts.lake), { recursive: true });
      } catch (e) {
        // No lake folder yet (or no file events on this system): polling alone covers it.
        if (!(e instanceof Deno.errors.NotFound)) this.#opts.onError(e);
        return;
      }
      for await (const _ of watcher) poke();
    };
    const watching = local ? watch() : Promise.resolve();
    try {
      while (!signal.aborted) {
        if (!pending) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, pollMs);
          });
          wake = null;
        }
        pending = false;
        if (signal.aborted) break;
        const changed = await this.#pollAll(true);
        if (changed || performance.now() - this.#lastTick >= tickMs) {
          this.#lastTick = performance.now();
          this.hub.publish(this.#model.takePatch(this.#opts.now()));
        }
        if (local && watcher === null && changed) void watch();
      }
    } finally {
      (watcher as Deno.FsWatcher | null)?.close();
      await watching;
      this.hub.close();
    }
  }

  health(): HealthReport {
    const now = this.#opts.now();
    const status = this.hub.doc.status;
    const asOf = status.asOf ?? status.lastCommitAt;
    return {
      status: this.#ready ? "ok" : "starting",
      now,
      lake: this.#opts.lake,
      freshness: {
        asOf,
        ageMs: asOf === null ? null : now - asOf,
        level: asOf === null ? "unknown" : freshnessLevel(now - asOf),
      },
      tables: this.#stats().map((s) => ({ name: s.name, version: s.version, lastCommitAt: s.lastCommitAt })),
      clients: this.hub.stats.clients,
      stream: {
        frames: this.hub.stats.frames,
        snapshots: this.hub.stats.snapshots,
        coalesced: this.hub.stats.coalesced,
      },
    };
  }

  searchCustomers(query: string, limit: number): CustomerSummary[] {
    return this.#model.searchCustomers(query, limit);
  }

  customerHistory(customerId: number): CustomerHistory | null {
    return this.#model.customerHistory(customerId);
  }

  listTables(): Promise<LakeTableInfo[]> {
    return Promise.resolve(
      this.#stats().sort((a, b) => a.name.localeCompare(b.name)).map((s) => ({
        name: s.name,
        version: s.version,
        lastCommitAt: s.lastCommitAt,
        files: s.files,
        bytes: s.bytes,
      })),
    );
  }

  async describeTable(name: string, version: number | null): Promise<LakeTableDetail | null> {
    const tailer = this.#tailers.get(name);
    const latest = tailer?.snapshot;
    if (!tailer || !latest) return null;
    if (version !== null && version > latest.version) {
      throw new RangeError(
        `Table "${name}" has no version ${version}: its latest version is ${latest.version}`,
      );
    }
    let snapshot: Snapshot = latest;
    if (version !== null && version !== latest.version) {
      try {
        snapshot = await loadSnapshot(tailer.store, { version });
      } catch (e) {
        if (e instanceof RangeError || e instanceof NotFoundError) {
          throw new RangeError(`Cannot read table "${name}" at version ${version}: ${e.message}`, {
            cause: e,
          });
        }
        throw e;
      }
    }
    const [history, sample] = await Promise.all([
      this.#history(tailer.store, latest.version),
      this.#sample(tailer.store, snapshot),
    ]);
    return {
      name,
      version: snapshot.version,
      latestVersion: latest.version,
      timestamp: snapshot.timestamp,
      columns: snapshot.schema.fields.map((f) => ({
        name: f.name,
        type: typeToString(f.type),
        nullable: f.nullable,
      })),
      partitionColumns: [...snapshot.partitionColumns],
      properties: { ...snapshot.properties },
      history,
      files: snapshot.files.length,
      bytes: snapshot.sizeInBytes,
      rows: snapshot.numRecords,
      sample,
    };
  }

  async #history(store: ObjectStore, latest: number): Promise<LakeCommit[]> {
    const versions = Array.from({ length: Math.min(HISTORY_SHOWN, latest + 1) }, (_, i) => latest - i);
    const commits = await Promise.all(versions.map(async (version): Promise<LakeCommit | null> => {
      try {
        const info = (await readCommit(store, version)).find((a) => "commitInfo" in a);
        const ci = info && "commitInfo" in info ? info.commitInfo : null;
        const params = Object.entries(ci?.operationParameters ?? {}).filter(([, v]) =>
          v !== "[]" && v !== ""
        );
        const metrics = Object.entries(ci?.operationMetrics ?? {}).filter(([k]) =>
          /^num(OutputRows|AddedFiles|RemovedFiles|TargetRowsUpdated|TargetRowsInserted|TargetRowsDeleted|DeletedRows)$/
            .test(k)
        );
        return {
          version,
          timestamp: ci?.inCommitTimestamp ?? ci?.timestamp ?? null,
          operation: ci?.operation ?? null,
          details: [...params, ...metrics].slice(0, 6).map(([k, v]) => `${k}=${v}`).join(" · "),
        };
      } catch (e) {
        // Commits older than the last checkpoint may have been cleaned up: they are simply not listed.
        if (e instanceof NotFoundError) return null;
        throw e;
      }
    }));
    return commits.filter((c): c is LakeCommit => c !== null);
  }

  async #sample(store: ObjectStore, snapshot: Snapshot): Promise<LakeTableDetail["sample"]> {
    const shape: TableShape = {
      schema: snapshot.schema,
      partitionColumns: snapshot.partitionColumns,
      metadata: snapshot.metadata,
    };
    const columns = snapshot.schema.fields.map((f) => f.name);
    const rows: (string | null)[][] = [];
    for (const f of snapshot.files) {
      if (rows.length >= SAMPLE_ROWS) break;
      for (const row of await readDataFile(store, shape, f)) {
        if (rows.length >= SAMPLE_ROWS) break;
        rows.push(columns.map((c) => textOf(row[c])));
      }
    }
    return { columns, rows };
  }
}
