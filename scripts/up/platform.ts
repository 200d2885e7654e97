/**
 * The running platform, whatever the stack: the dashboard, the stream processor and the faker in this process,
 * started and stopped in the right order, with the live status line.
 *
 * @module
 */
import type { S3Settings } from "../../pipeline/delta/storage/s3_store.ts";
import { openStore, sharedS3Client } from "../../pipeline/delta/storage/open_store.ts";
import { createLogger } from "../../pipeline/stream/logger.ts";
import { runStream, type RunStreamOptions, type StreamReport } from "../../pipeline/stream/run_stream.ts";
import { type FakerOptions, type FakerReport, runFaker } from "../faker/mod.ts";
import { type DashboardServer, startDashboard } from "../../web/mod.ts";
import { RateMeter } from "./rate_meter.ts";
import type { UpContext } from "./up_context.ts";

/** What a stack runs on the platform. */
export interface PlatformSpec {
  /** The lake: a local folder or `s3://bucket/prefix`. */
  lake: string;
  /** S3 settings of an `s3://` lake. */
  s3?: S3Settings;
  /** Dashboard port (0: a free one). */
  port: number;
  /** Runs after the dashboard listens (so a taken port fails first) and before the processor starts. */
  prepare(): Promise<void>;
  /** The processor's source. */
  source: RunStreamOptions["source"];
  /** Resolves when the faker may start. @default at once */
  fakerMayStart?: Promise<void>;
  /** Where the faker writes, and how fast. */
  faker: Omit<FakerOptions, "signal" | "onOperation" | "onProgress" | "log">;
  /**
   * The drain after the faker stopped ends once the processor has seen nothing new for this long: long enough
   * for the source's capture to deliver the last changes (immediate for SQLite; Debezium polls).
   */
  drainIdleSeconds: number;
}

/** What a platform run did. */
export interface PlatformReport {
  faker: FakerReport | null;
  /** Batches and events the processor committed (live and drain). */
  batches: number;
  events: number;
  elapsedMs: number;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** An error with the messages of its causes, as one line. */
function withCauses(e: unknown): string {
  const parts: string[] = [];
  for (
    let x: unknown = e;
    x !== undefined && parts.length < 5;
    x = x instanceof Error ? x.cause : undefined
  ) {
    const m = messageOf(x);
    if (!parts.some((p) => p.includes(m))) parts.push(m);
  }
  return parts.join(": ").replaceAll("\n", " ");
}

/**
 * Runs the platform until `ctx.stop`: the dashboard (first, so a taken port fails before anything else), then
 * `spec.prepare()`, the processor, and once `spec.fakerMayStart` resolves the faker. Stopping: the faker stops
 * between two transactions; the processor commits its batch in flight, then runs again until it has seen nothing
 * new for `drainIdleSeconds` (every captured change committed; `ctx.force` cuts this short); then the dashboard
 * stops. A component that fails stops the others the same way, and its error is thrown afterwards.
 */
export async function runPlatform(ctx: UpContext, spec: PlatformSpec): Promise<PlatformReport> {
  const started = ctx.now();
  const s3Client = sharedS3Client();
  const open = spec.s3 ? (uri: string) => openStore(uri, { s3: spec.s3, s3Client }) : undefined;
  const reported = new Set<string>();
  let dashboard: DashboardServer;
  try {
    dashboard = await startDashboard({
      lake: spec.lake,
      port: spec.port,
      openStore: open,
      // The dashboard retries a table it cannot read on every poll: say each distinct problem once.
      onError: (e) => {
        const text = withCauses(e);
        if (reported.has(text)) return;
        reported.add(text);
        ctx.io.line(`dashboard: ${text}`);
      },
    });
  } catch (e) {
    if (!(e instanceof Error && e.cause instanceof Deno.errors.AddrInUse)) throw e;
    throw new Error(`${messageOf(e)} (choose another with --port N, or --port 0 for a free one)`, {
      cause: e,
    });
  }
  ctx.io.line(`Dashboard: ${dashboard.url}`);
  let failure: unknown = null;
  const fail = (e: unknown) => {
    failure ??= e;
    live.abort();
  };
  const live = new AbortController();
  const onStop = () => live.abort();
  ctx.stop.addEventListener("abort", onStop, { once: true });

  let fakerOps = 0;
  let fakerRunning = false;
  let events = 0;
  let lagMs: number | null = null;
  let lastCommitAt: number | null = null;
  let phase = "starting";
  const fakerRate = new RateMeter();
  const eventRate = new RateMeter();
  const streamOptions = (): RunStreamOptions => ({
    source: spec.source,
    lake: spec.lake,
    s3: spec.s3,
    logger: createLogger({ level: "warn", write: (line) => ctx.io.line(`processor: ${line}`) }),
    onBatch: (info) => {
      events += info.events;
      if (info.lagMs !== null) lagMs = info.lagMs;
      lastCommitAt = Date.now();
    },
  });
  const tick = ctx.io.status
    ? setInterval(() => {
      const now = ctx.now();
      fakerRate.sample(fakerOps, now);
      eventRate.sample(events, now);
      ctx.io.status!({
        phase,
        elapsedMs: now - started,
        fakerTxPerSec: fakerRunning ? fakerRate.rate() ?? 0 : null,
        eventsPerSec: eventRate.rate(),
        lagMs,
        lastCommitAgeMs: lastCommitAt === null ? null : Date.now() - lastCommitAt,
        clients: dashboard.data.health().clients,
      });
    }, 500)
    : undefined;

  let faker: Promise<FakerReport | null> = Promise.resolve(null);
  const fakerStop = new AbortController();
  let streamed: StreamReport[] = [];
  try {
    try {
      await spec.prepare();
    } catch (e) {
      // Stopped while setting up (Ctrl-C during a long first setup): nothing ran, nothing to drain.
      if (ctx.stopRequested()) return { faker: null, batches: 0, events: 0, elapsedMs: ctx.now() - started };
      throw e;
    }
    phase = "live";
    ctx.markLive();
    const processor = runStream(streamOptions(), live.signal).then(
      (report) => {
        if (!live.signal.aborted) fail(new Error("The stream processor stopped by itself"));
        return report;
      },
      (e) => {
        fail(new Error(`The stream processor failed: ${messageOf(e)}`, { cause: e }));
        return null;
      },
    );
    const mayStart = spec.fakerMayStart ?? Promise.resolve();
    faker = Promise.race([
      mayStart,
      new Promise<void>((r) => live.signal.addEventListener("abort", () => r())),
    ])
      .then(() => {
        if (live.signal.aborted) return null;
        fakerRunning = true;
        return runFaker({
          ...spec.faker,
          signal: fakerStop.signal,
          onOperation: () => fakerOps++,
          log: (line) => ctx.io.line(line),
        });
      })
      .then(
        (report) => {
          if (!live.signal.aborted && report) {
            fail(new Error(`The faker stopped by itself (${report.stoppedBy})`));
          }
          return report;
        },
        (e) => {
          fail(new Error(`The faker failed: ${messageOf(e)}`, { cause: e }));
          return null;
        },
      )
      .finally(() => (fakerRunning = false));
    await new Promise<void>((r) =>
      live.signal.aborted ? r() : live.signal.addEventListener("abort", () => r())
    );
    // The faker first, so that what the processor drains is all there will be.
    phase = "stopping the faker";
    fakerStop.abort();
    const fakerReport = await faker;
    phase = "draining";
    const first = await processor;
    streamed = first ? [first] : [];
    if (failure === null || first !== null) {
      // The live run stopped with its batch in flight committed; now everything captured until the faker stopped.
      const drained = await runStream(
        { ...streamOptions(), exitWhenIdleSeconds: spec.drainIdleSeconds },
        ctx.force,
      )
        .catch((e) => {
          fail(new Error(`The stream processor failed while draining: ${messageOf(e)}`, { cause: e }));
          return null;
        });
      if (drained) streamed.push(drained);
    }
    if (failure !== null) throw failure;
    return {
      faker: fakerReport,
      batches: streamed.reduce((n, r) => n + r.batches, 0),
      events: streamed.reduce((n, r) => n + r.events, 0),
      elapsedMs: ctx.now() - started,
    };
  } finally {
    fakerStop.abort();
    await faker.catch(() => null);
    live.abort();
    ctx.stop.removeEventListener("abort", onStop);
    clearInterval(tick);
    await dashboard.shutdown();
  }
}
