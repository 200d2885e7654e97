import assert from "node:assert/strict";
import { acquireLock } from "./lock.ts";
import { formatPidFile } from "./pid_file.ts";

Deno.test("acquireLock() waits for a live holder and gives up after the timeout", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/stack.lock`;
    const release = await acquireLock(path, { timeoutMs: 1000 });
    let waitedFor = 0;
    await assert.rejects(
      acquireLock(path, { timeoutMs: 300, onWait: (pid) => waitedFor = pid }),
      /process \d+ has held it/,
    );
    assert.equal(waitedFor, Deno.pid);
    await release();
    const again = await acquireLock(path, { timeoutMs: 1000 });
    await again();
    await assert.rejects(Deno.stat(path), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("acquireLock() takes over a lock whose holder has died or that is cut short", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/stack.lock`;
    await Deno.writeTextFile(path, formatPidFile({ pid: Deno.pid, startTime: "1" }));
    await (await acquireLock(path, { timeoutMs: 300 }))();
    await Deno.writeTextFile(path, '{"pid":');
    await (await acquireLock(path, { timeoutMs: 300 }))();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
