/**
 * `deno task up` (`--stack embedded`, the default): no Docker and no servers. A SQLite source with trigger-based
 * capture in `<data>/source.sqlite`, the faker writing into it, the stream processor following its `_changes`
 * table into a local Delta lake in `<data>/lake`, and the dashboard, all in this process.
 *
 * @module
 */
import { sourceFactory } from "../../pipeline/stream/source_spec.ts";
import { runSetup } from "../setup/mod.ts";
import { dataDir, prepareDataDir, resetDataDir } from "./data_dir.ts";
import { type PlatformReport, runPlatform } from "./platform.ts";
import { watchSqliteSource } from "./source_watch.ts";
import type { UpContext } from "./up_context.ts";

/** Options of {@linkcode runEmbeddedStack}. */
export interface EmbeddedOptions {
  /** The data directory. */
  data: string;
  port: number;
  /** Faker transactions per second. */
  rate: number;
  /** Remove the directory's source and lake first. */
  reset: boolean;
}

/** The job name of the processor (its checkpoint folder `<lake>/_checkpoints/lakestream`). */
const JOB = "lakestream";

/** Runs the embedded platform until the context stops it. */
export async function runEmbeddedStack(ctx: UpContext, options: EmbeddedOptions): Promise<PlatformReport> {
  const dir = dataDir(options.data);
  if (options.reset) {
    const removed = await resetDataDir(dir);
    ctx.io.line(
      removed.length ? `Reset: removed ${removed.join(", ")}` : `Reset: ${dir.root} holds nothing yet`,
    );
  }
  await prepareDataDir(dir);
  ctx.io.line(`Lakestream, embedded: SQLite ${dir.source} → stream processor → Delta lake ${dir.lake}`);
  let source: ReturnType<typeof watchSqliteSource> | null = null;
  const watched = () =>
    source ??= watchSqliteSource(sourceFactory({ kind: "sqlite", path: dir.source }, JOB));
  const mayStart = Promise.withResolvers<void>();
  return await runPlatform(ctx, {
    lake: dir.lake,
    port: options.port,
    async prepare() {
      const report = await runSetup({ dialect: "sqlite", db: dir.source, signal: ctx.stop });
      const changed = report.steps.filter((s) => s.changed).map((s) => s.step);
      ctx.io.line(
        `Source ready: ${changed.length ? `set up (${changed.join(", ")})` : "already set up, resuming"}`,
      );
      watched().followingChanges.then(mayStart.resolve);
    },
    source: { kind: "custom", name: `sqlite ${dir.source}`, open: (from) => watched().open(from) },
    fakerMayStart: mayStart.promise,
    faker: { dialect: "sqlite", db: dir.source, rate: options.rate },
    drainIdleSeconds: 1,
  });
}
