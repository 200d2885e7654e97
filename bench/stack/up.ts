/**
 * How long `deno task stack up` and `down` take. Runs a private stack (its own state directory and ports
 * 2xxxx), so the shared stack on the default ports keeps serving everyone else.
 *
 * Usage: deno run -A bench/stack/up.ts [--cold] [--runs N]
 * - fresh: first `up` in a new state directory with the cache warm (initdb, Kafka storage format);
 * - restart: `down` then `up` again, the usual case (N runs, median);
 * - cold (--cold): `up` with an empty cache directory, so Maven downloads the jars and plugins again (the
 *   MinIO binary is copied in: its `go install` is a one-off build measured in minutes, not a startup cost).
 *
 * Writes the "stack-up" section of bench/RESULTS.md.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { writeSection } from "../results.ts";
import { defaultCacheDir, SERVICES } from "../../scripts/stack/paths.ts";
import { stackDown, stackUp } from "../../scripts/stack/stack.ts";

const PORTS: Record<string, string> = {
  LAKESTREAM_KAFKA_PORT: "29092",
  LAKESTREAM_KAFKA_CONTROLLER_PORT: "29093",
  LAKESTREAM_CONNECT_PORT: "28083",
  LAKESTREAM_PG_PORT: "25432",
  LAKESTREAM_MINIO_PORT: "29000",
  LAKESTREAM_MINIO_CONSOLE_PORT: "29001",
};

interface Timing {
  scenario: string;
  totalS: number;
  /** Seconds from each service's start to healthy, and install notes. */
  services: Record<string, string>;
  downS: number;
}

async function measure(scenario: string, env: Record<string, string>): Promise<Timing> {
  const lines: string[] = [];
  const io = {
    out: (l: string) => (lines.push(l), console.log(`  ${l}`)),
    env: (n: string) => env[n] ?? Deno.env.get(n),
  };
  const t0 = performance.now();
  await stackUp(SERVICES, io);
  const totalS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  await stackDown(SERVICES, { ...io, out: () => {} });
  const downS = (performance.now() - t1) / 1000;
  const services: Record<string, string> = {};
  for (const s of SERVICES) {
    const healthy = lines.find((l) => l.startsWith(`${s} `) && l.includes("healthy in"));
    const install = lines.filter((l) =>
      l.startsWith(`${s} `) && / in [\d.]+ s$/.test(l) && !l.includes("healthy")
    );
    services[s] = [
      /healthy in ([\d.]+ s)/.exec(healthy ?? "")?.[1] ?? "?",
      ...install.map((l) => `(${l.slice(s.length).trim()})`),
    ].join(" ");
  }
  return { scenario, totalS, services, downS };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: { cold: { type: "boolean", default: false }, runs: { type: "string", default: "3" } },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`Invalid --runs "${values.runs}"`);
  const stackDir = await Deno.makeTempDir({ prefix: "lakestream-bench-stack-" });
  // PostgreSQL runs as the `postgres` user, which must be able to reach its data directory inside.
  await Deno.chmod(stackDir, 0o755);
  const results: Timing[] = [];
  const load = () => Deno.loadavg()[0].toFixed(1);
  const loads: string[] = [];
  try {
    const env = { ...PORTS, LAKESTREAM_STACK_DIR: stackDir };
    console.log("fresh state directory, warm cache");
    loads.push(load());
    results.push(await measure("fresh (new .stack, warm cache)", env));
    const restarts: Timing[] = [];
    for (let i = 0; i < runs; i++) {
      console.log(`restart ${i + 1}/${runs}`);
      loads.push(load());
      restarts.push(await measure("restart (warm)", env));
    }
    restarts.sort((a, b) => a.totalS - b.totalS);
    results.push({
      ...restarts[Math.floor(restarts.length / 2)],
      scenario: `restart (warm), median of ${runs}`,
    });
    if (values.cold) {
      const cacheDir = await Deno.makeTempDir({ prefix: "lakestream-bench-cache-" });
      try {
        await Deno.mkdir(`${cacheDir}/bin`);
        await Deno.copyFile(`${defaultCacheDir()}/bin/minio`, `${cacheDir}/bin/minio`);
        await Deno.chmod(`${cacheDir}/bin/minio`, 0o755);
        const coldDir = `${stackDir}/cold`;
        console.log("cold cache (Maven downloads), fresh state directory");
        loads.push(load());
        results.push(
          await measure("cold (empty cache but the MinIO binary, new .stack)", {
            ...env,
            LAKESTREAM_STACK_DIR: coldDir,
            LAKESTREAM_CACHE_DIR: cacheDir,
          }),
        );
      } finally {
        await Deno.remove(cacheDir, { recursive: true });
      }
    }
  } finally {
    await stackDown(SERVICES, {
      out: () => {},
      env: (n) => n === "LAKESTREAM_STACK_DIR" ? stackDir : PORTS[n] ?? Deno.env.get(n),
    });
    await Deno.remove(stackDir, { recursive: true });
  }
  const rows = results.map((r) =>
    `| ${r.scenario} | **${r.totalS.toFixed(1)} s** | ${SERVICES.map((s) => r.services[s]).join(" | ")} | ${
      r.downS.toFixed(1)
    } s |`
  );
  const body = `\`deno run -A bench/stack/up.ts${
    values.cold ? " --cold" : ""
  }\`: a private stack (own state directory,
ports 2xxxx). "up" is the whole command (installs, starts in parallel, waits for every health check); a service's
time runs from its process start to its first passing health check (Connect starts alongside Kafka and waits for the broker itself).
The cold run's "down" includes building the class-data archives, which happens once per JDK and jar set.
Load average (1 min) at the start of each run: ${loads.join(", ")}; other work shared the 2 cores.

| scenario | up | ${SERVICES.join(" | ")} | down |
| --- | --- | ${SERVICES.map(() => "---").join(" | ")} | --- |
${rows.join("\n")}
`;
  await writeSection("stack-up", "Local stack: `deno task stack up` / `down` times", body);
  console.log(body);
}

if (import.meta.main) await main();
