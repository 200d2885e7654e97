/**
 * `deno task cdc decode [--file F]`: decodes Debezium messages (one per line, from stdin or F) and prints one
 * normalized change per line as ndjson. Usage errors exit 2, failures exit 1.
 *
 * @module
 */
import { DebeziumDecoder } from "../debezium_decoder.ts";
import { decodeLines, readLines } from "./decode_lines.ts";

const USAGE = "Usage: deno task cdc decode [--file F]";

/** Parsed command line, or the one-line usage error. */
export function parseArgs(args: string[]): { file: string | null } | { usageError: string } | { help: true } {
  if (args.includes("--help") || args.includes("-h")) return { help: true };
  if (args[0] !== "decode") {
    return { usageError: args.length === 0 ? "missing command: decode" : `unknown command "${args[0]}"` };
  }
  let file: string | null = null;
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    if (a === "--file") {
      if (i + 1 >= args.length) return { usageError: "--file needs a file name" };
      file = args[++i];
    } else if (a.startsWith("--file=")) {
      file = a.slice("--file=".length);
    } else {
      return { usageError: `unknown argument "${a}"` };
    }
  }
  return { file };
}

async function main(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if ("help" in parsed) {
    console.log(USAGE);
    return 0;
  }
  if ("usageError" in parsed) {
    console.error(`cdc: ${parsed.usageError}. ${USAGE}`);
    return 2;
  }
  let input: ReadableStream<Uint8Array>;
  if (parsed.file === null) {
    input = Deno.stdin.readable;
  } else {
    try {
      input = (await Deno.open(parsed.file)).readable;
    } catch (e) {
      console.error(`cdc: Cannot read "${parsed.file}": ${(e as Error).message}`);
      return 1;
    }
  }
  const out = Deno.stdout.writable.getWriter();
  const enc = new TextEncoder();
  let batch = "";
  try {
    for await (const line of decodeLines(new DebeziumDecoder({ requireKey: false }), readLines(input))) {
      batch += line + "\n";
      if (batch.length >= 65536) {
        await out.write(enc.encode(batch));
        batch = "";
      }
    }
    await out.write(enc.encode(batch));
  } catch (e) {
    if (e instanceof Deno.errors.BrokenPipe) return 0; // the reader went away (| head): nothing left to say
    console.error(`cdc: ${(e as Error).message}`);
    return 1;
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
