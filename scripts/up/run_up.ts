/**
 * `runUp`: the platform of the chosen stack, until the context stops it.
 *
 * @module
 */
import { runDockerStack } from "./docker_stack.ts";
import { runEmbeddedStack } from "./embedded_stack.ts";
import { runLocalStack } from "./local_stack.ts";
import type { PlatformReport } from "./platform.ts";
import type { UpContext } from "./up_context.ts";
import type { UpOptions } from "./up_options.ts";

function summary(report: PlatformReport): string {
  const n = (x: number) => x.toLocaleString("en-US");
  const faker = report.faker
    ? `the faker wrote ${n(report.faker.operations)} transactions`
    : "the faker did not start";
  return `Stopped after ${(report.elapsedMs / 1000).toFixed(1)} s: ${faker}; the processor committed ${
    n(report.events)
  } change events in ${n(report.batches)} batches`;
}

/** Runs `options.stack` until `ctx.stop`; returns the closing line. Failures reject with a one-line message. */
export async function runUp(options: UpOptions, ctx: UpContext): Promise<string> {
  switch (options.stack) {
    case "embedded":
      return summary(await runEmbeddedStack(ctx, options));
    case "local":
      return summary(await runLocalStack(ctx, options));
    case "docker":
      await runDockerStack(ctx, { port: options.port });
      return "Stopped; `deno task up --stack docker` starts the containers again where they stopped";
  }
}
