import assert from "node:assert/strict";
import {
  formatPidFile,
  isRunning,
  parsePidFile,
  parseProcStat,
  processStartTime,
  readLivePidFile,
} from "./pid_file.ts";

const STAT = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 30 0 987654 5000 100";

Deno.test("parseProcStat() reads the start time when the command contains spaces and parentheses", () => {
  assert.deepEqual(parseProcStat(STAT), { state: "S", startTime: "987654" });
});

Deno.test("parseProcStat() throws SyntaxError when the line is truncated", () => {
  assert.throws(() => parseProcStat("4242 (java) S 1 2"), SyntaxError);
  assert.throws(() => parseProcStat("garbage"), SyntaxError);
});

Deno.test("parsePidFile() round-trips formatPidFile()", () => {
  const record = { pid: 123, startTime: "456" };
  assert.deepEqual(parsePidFile(formatPidFile(record), "x.pid"), record);
});

Deno.test("parsePidFile() names the file when the content is not a pid record", () => {
  assert.throws(() => parsePidFile("123\n", "/s/run/kafka.pid"), /"\/s\/run\/kafka.pid"/);
  assert.throws(() => parsePidFile('{"pid":-1,"startTime":"1"}', "k.pid"), SyntaxError);
  assert.throws(() => parsePidFile("nope", "k.pid"), SyntaxError);
});

Deno.test("isRunning() is true for this process and false when the start time differs", () => {
  const startTime = processStartTime(Deno.pid);
  assert.ok(startTime);
  assert.equal(isRunning({ pid: Deno.pid, startTime }), true);
  assert.equal(isRunning({ pid: Deno.pid, startTime: `${startTime}0` }), false);
});

Deno.test("readLivePidFile() returns null for a missing file and for an exited process", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.equal(readLivePidFile(`${dir}/none.pid`), null);
    const child = new Deno.Command("true").spawn();
    const startTime = processStartTime(child.pid) ?? "0";
    await child.status;
    await Deno.writeTextFile(`${dir}/gone.pid`, formatPidFile({ pid: child.pid, startTime }));
    assert.equal(readLivePidFile(`${dir}/gone.pid`), null);
    await Deno.writeTextFile(
      `${dir}/me.pid`,
      formatPidFile({ pid: Deno.pid, startTime: processStartTime(Deno.pid)! }),
    );
    assert.equal(readLivePidFile(`${dir}/me.pid`)?.pid, Deno.pid);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
