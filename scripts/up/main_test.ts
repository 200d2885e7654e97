import assert from "node:assert/strict";

const MAIN = new URL("./main.ts", import.meta.url).pathname;

async function up(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    stdin: "null",
    env: { NO_COLOR: "1" },
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b).trim();
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

Deno.test("main.ts exits 2 with a one-line message on a usage error", async () => {
  const { code, stderr } = await up("--stack", "kubernetes");
  assert.equal(code, 2);
  assert.equal(
    stderr,
    'up: Unknown --stack "kubernetes": expected embedded, local, docker (see deno task up --help)',
  );
});

Deno.test("main.ts --help prints the usage and exits 0", async () => {
  const { code, stdout } = await up("--help");
  assert.equal(code, 0);
  assert.match(stdout, /^Usage: deno task up \[--stack embedded\|local\|docker\]/);
});

Deno.test("main.ts exits 1 with one line, no stack trace, for a broken data directory", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lakestream-up-main-" });
  try {
    await Deno.writeTextFile(`${dir}/source.sqlite`, "not a database");
    const { code, stderr } = await up("--data", dir, "--port", "0", "--duration", "1");
    assert.equal(code, 1);
    assert.equal(
      stderr,
      `up: Cannot use data directory "${dir}": ${dir}/source.sqlite is not a SQLite database`,
    );
    assert.equal(await Deno.readTextFile(`${dir}/source.sqlite`), "not a database");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("main.ts exits 1 with one line when the dashboard port is in use", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lakestream-up-main-" });
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const { code, stderr } = await up("--data", dir, "--port", String(taken.addr.port), "--duration", "1");
    assert.equal(code, 1);
    assert.equal(
      stderr,
      `up: Cannot start the dashboard on 127.0.0.1:${taken.addr.port}: the port is in use ` +
        "(choose another with --port N, or --port 0 for a free one)",
    );
  } finally {
    taken.close();
    await Deno.remove(dir, { recursive: true });
  }
});
