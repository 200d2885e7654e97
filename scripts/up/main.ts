/**
 * `deno task up [--stack embedded|local|docker] [options]`: one command to a live platform. Ctrl-C (or SIGTERM,
 * or --duration) stops it gracefully: the faker first, then the processor commits every captured change; a
 * second Ctrl-C stops without waiting for the drain. Usage errors exit 2, failures exit 1 with a one-line message.
 *
 * @module
 */
import { runUp } from "./run_up.ts";
import { formatStatus } from "./status_line.ts";
import { createUpContext, type UpIo } from "./up_context.ts";
import { parseUpArgs, USAGE, UsageError } from "./up_options.ts";

const encoder = new TextEncoder();

/** Lines on stdout; on a terminal the status line is redrawn under them. */
function terminalIo(): UpIo & { clearStatus(): void } {
  const tty = Deno.stdout.isTerminal();
  let shown = false;
  const write = (text: string) => Deno.stdout.writeSync(encoder.encode(text));
  return {
    clearStatus() {
      if (shown) write("\r\x1b[K");
      shown = false;
    },
    line(text) {
      write(`${shown ? "\r\x1b[K" : ""}${text}\n`);
      shown = false;
    },
    status: tty
      ? (status) => {
        const columns = Deno.consoleSize().columns;
        const text = formatStatus(status);
        write(`\r${text.length > columns - 1 ? `${text.slice(0, columns - 2)}…` : text}\x1b[K`);
        shown = true;
      }
      : null,
  };
}

/** An error as one line, without a stack trace: what reaches here describes the situation, not a bug. */
function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replaceAll("\n", " ");
}

async function main(args: string[]): Promise<number> {
  let options;
  try {
    options = parseUpArgs(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`up: ${e.message} (see deno task up --help)`);
    return 2;
  }
  if (options === "help") {
    console.log(USAGE);
    return 0;
  }
  const io = terminalIo();
  const stop = new AbortController();
  const force = new AbortController();
  const onSignal = () => {
    if (!stop.signal.aborted) {
      io.line(
        "Stopping: the faker first, then the processor commits what was captured (Ctrl-C again: stop now)",
      );
      stop.abort();
    } else if (!force.signal.aborted) {
      io.line("Stopping now, without waiting for the rest of the drain");
      force.abort();
    }
  };
  const signals = ["SIGINT", "SIGTERM"] as const;
  for (const s of signals) Deno.addSignalListener(s, onSignal);
  const ctx = createUpContext({
    io,
    signal: stop.signal,
    force: force.signal,
    durationSeconds: options.duration,
  });
  try {
    io.line(await runUp(options, ctx));
    return 0;
  } catch (e) {
    io.clearStatus();
    console.error(`up: ${oneLine(e)}`);
    return 1;
  } finally {
    ctx.dispose();
    for (const s of signals) Deno.removeSignalListener(s, onSignal);
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
