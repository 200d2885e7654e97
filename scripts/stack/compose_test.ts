import assert from "node:assert/strict";
import { composeCli } from "./compose_cli.ts";
import { defaultCacheDir } from "./paths.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** Runs `docker compose -f compose.yaml <args>` with only the given environment (no developer .env). */
async function compose(args: string[], envFile: string) {
  const cache = defaultCacheDir();
  await Deno.mkdir(cache, { recursive: true });
  const cli = await composeCli(cache, `${cache}/docker-compose-build.log`);
  const out = await new Deno.Command(cli.command, {
    args: [...cli.args, "-f", `${ROOT}compose.yaml`, "--env-file", envFile, ...args],
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: Deno.env.get("HOME") ?? "/", ...cli.env },
    clearEnv: true,
    cwd: ROOT,
    stdin: "null",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

/** .env.example as a user fills it in: the one value it leaves blank is the SQL Server image reference. */
async function filledEnvExample(): Promise<string> {
  const file = await Deno.makeTempFile({ suffix: ".env" });
  const text = await Deno.readTextFile(`${ROOT}.env.example`);
  assert.match(text, /^SQLSERVER_IMAGE=$/m);
  await Deno.writeTextFile(
    file,
    text.replace(/^SQLSERVER_IMAGE=$/m, "SQLSERVER_IMAGE=mssql/server:2019-latest"),
  );
  return file;
}

interface ComposeService {
  image?: string;
  build?: { target?: string };
  environment?: Record<string, string | null>;
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  restart?: string;
  command?: string[];
}

Deno.test("compose.yaml validates with `docker compose config -q` and the checked-in .env.example", async () => {
  const env = await filledEnvExample();
  const res = await compose(["config", "-q"], env);
  await Deno.remove(env);
  assert.equal(res.code, 0, res.stderr);
  assert.equal(res.stderr.trim(), "");
});

Deno.test("compose.yaml refuses to run without the credentials from .env", async () => {
  const res = await compose(["config", "-q"], "/dev/null");
  assert.notEqual(res.code, 0);
  assert.match(res.stderr, /MSSQL_SA_PASSWORD|MINIO_ROOT_(USER|PASSWORD)/);
  assert.match(res.stderr, /in \.env/);
});

Deno.test("compose.yaml runs the fixed original stack with healthchecks and ordered startup", async () => {
  const env = await filledEnvExample();
  const res = await compose(["config", "--format", "json"], env);
  await Deno.remove(env);
  assert.equal(res.code, 0, res.stderr);
  const services = (JSON.parse(res.stdout) as { services: Record<string, ComposeService> }).services;
  assert.deepEqual(Object.keys(services).sort(), [
    "connect",
    "create-bucket",
    "faker",
    "kafka",
    "kafka-ui",
    "minio",
    "setup",
    "sqlserver",
    "stream",
    "web",
  ]);
  assert.match(services.sqlserver.image ?? "", /mssql\/server:2019/);
  assert.equal(services.sqlserver.environment?.MSSQL_AGENT_ENABLED, "true");
  assert.equal(services.kafka.environment?.KAFKA_PROCESS_ROLES, "broker,controller");
  assert.ok(!Object.keys(services).some((s) => s.includes("zookeeper")));
  assert.equal(services.connect.build?.target, "connect");
  assert.equal(services.minio.build?.target, "minio");

  for (const name of ["sqlserver", "kafka", "connect", "minio", "kafka-ui", "stream", "web"]) {
    assert.ok(services[name].healthcheck?.test?.length, `${name} has a healthcheck`);
  }
  assert.equal(services.faker.healthcheck?.disable, true, "faker serves nothing to probe");
  assert.match(services.stream.healthcheck?.test?.join(" ") ?? "", /127\.0\.0\.1:9464\/health/);
  const oneShots = ["create-bucket", "setup"];
  for (const [name, svc] of Object.entries(services)) {
    for (const [dep, { condition }] of Object.entries(svc.depends_on ?? {})) {
      const expected = oneShots.includes(dep) ? "service_completed_successfully" : "service_healthy";
      assert.equal(condition, expected, `${name} depends on ${dep}`);
    }
  }
  assert.equal(services.web.depends_on?.stream?.condition, "service_healthy");
  assert.deepEqual(services.setup.command, ["deno", "task", "setup", "--dialect", "sqlserver"]);
  assert.deepEqual(services.stream.command, [
    "deno",
    "task",
    "stream",
    "--source",
    "kafka",
    "--metrics-port",
    "9464",
    "--metrics-host",
    "0.0.0.0",
  ]);
  assert.deepEqual(services.web.command, ["deno", "task", "web"]);
  assert.deepEqual(services.faker.command, ["deno", "task", "faker", "--dialect", "sqlserver"]);
  for (const name of oneShots) assert.equal(services[name].restart, "no");
});

Deno.test("compose.yaml holds no credential: each secret comes from a variable", async () => {
  const text = await Deno.readTextFile(`${ROOT}compose.yaml`);
  for (const variable of ["MSSQL_SA_PASSWORD", "MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD"]) {
    for (const line of text.split("\n").filter((l) => new RegExp(`^\\s*${variable}:`).test(l))) {
      assert.match(line, new RegExp(`\\$\\{${variable}:\\?`), line);
    }
  }
  assert.doesNotMatch(text, /minioadmin|yourStrong/);
});
