/**
 * `deno task stream`: the stream processor. Options and environment variables: see stream_config.ts.
 * SIGINT/SIGTERM stop it gracefully (the batch in flight is committed, a state snapshot written; a second
 * signal exits at once); usage errors exit 2, failures exit 1.
 *
 * @module
 */
import { createLogger } from "./logger.ts";
import { runShards } from "./run_shards.ts";
import { runStream } from "./run_stream.ts";
import { StatusLine } from "./status_line.ts";
import { parseStreamArgs, USAGE, UsageError } from "./stream_config.ts";

const encoder = new TextEncoder();

async function main(): Promise<number> {
  let config;
  try {
    config = parseStreamArgs(Deno.args, Deno.env);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`${e.message}\n${USAGE}`);
      return 2;
    }
    console.error((e as Error).message);
    return 1;
  }
  if (config === "help") {
    console.log(USAGE);
    return 0;
  }
  const showStatus = config.status ?? (Deno.stderr.isTerminal() && config.logFormat === "text");
  const status = showStatus
    ? new StatusLine((text) => Deno.stderr.writeSync(encoder.encode(text)))
    : undefined;
  const writeLine = (line: string) => console.error(line);
  const logger = createLogger({
    format: config.logFormat,
    level: config.logLevel,
    write: status ? status.wrap(writeLine) : writeLine,
  });
  const stop = new AbortController();
  let firstSignalAt = 0;
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(sig, () => {
      // A second signal does not wait for the graceful stop (the WAL makes an abrupt stop safe too). Ctrl-C in
      // `deno task` reaches this process twice (from the terminal and forwarded by the task runner): signals
      // within a second count as one.
      if (stop.signal.aborted) {
        if (performance.now() - firstSignalAt > 1000) Deno.exit(130);
        return;
      }
      firstSignalAt = performance.now();
      logger.info("stopping: committing the batch in flight (signal again to stop at once)", { signal: sig });
      stop.abort();
    });
  }
  try {
    if (config.shard && config.options.source.kind === "kafka") {
      // Several jobs' lines in turn would garble one status line: sharded instances log only.
      await runShards({ ...config.options, source: config.options.source, logger }, stop.signal);
    } else await runStream({ ...config.options, logger, status }, stop.signal);
    return 0;
  } catch (e) {
    logger.error((e as Error).message, { error: (e as Error).name });
    return 1;
  }
}

Deno.exit(await main());
