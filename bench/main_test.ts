import assert from "node:assert/strict";
import { listBenchmarks } from "./main.ts";

Deno.test("listBenchmarks() finds every benchmark that writes a RESULTS.md section, with its summary", async () => {
  const list = await listBenchmarks();
  const names = list.map((b) => b.name);
  for (const n of ["cdc/decode", "delta/append", "stream/pipeline", "web/commit_to_dom"]) {
    assert.ok(names.includes(n), `${n} in ${names.join(", ")}`);
  }
  assert.ok(!names.includes("stream/load_stream"), "a helper module is not a benchmark");
  for (const b of list) assert.ok(b.summary.length > 10, `${b.name} has a summary: "${b.summary}"`);
});

Deno.test("deno task bench refuses an unknown benchmark with exit code 2 and names the known ones", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./main.ts", import.meta.url).pathname, "nope/nothing"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 2);
  const err = new TextDecoder().decode(out.stderr);
  assert.match(err, /Unknown benchmark "nope\/nothing"; one of: .*delta\/append/);
});
