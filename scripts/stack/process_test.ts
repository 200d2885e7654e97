import assert from "node:assert/strict";
import { isRunning, parsePidFile } from "./pid_file.ts";
import { portInUse, runCommand, startDetached, stopProcess } from "./process.ts";

/**
 * Awaits a detached process's exit status. startDetached() unrefs the child (so `up` can exit while services
 * run), so a pending timer has to keep the test's event loop alive meanwhile.
 */
async function exitStatus(started: { exited: Promise<Deno.CommandStatus> }): Promise<Deno.CommandStatus> {
  const keepAlive = setTimeout(() => {}, 30_000);
  try {
    return await started.exited;
  } finally {
    clearTimeout(keepAlive);
  }
}

async function waitForText(path: string, text: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (true) {
    const got = await Deno.readTextFile(path).catch(() => "");
    if (got.includes(text) || Date.now() > deadline) return got;
    await new Promise((r) => setTimeout(r, 20));
  }
}

Deno.test("startDetached() records the service's own pid and stopProcess() stops it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const started = await startDetached({
      command: "sh",
      args: ["-c", 'echo "hello $GREETING"; exec sleep 30'],
      env: { GREETING: "world" },
      logFile: `${dir}/svc.log`,
      pidFile: `${dir}/svc.pid`,
    });
    const record = parsePidFile(await Deno.readTextFile(`${dir}/svc.pid`), "svc.pid");
    assert.deepEqual(record, started.record);
    assert.ok(isRunning(record));
    // The service writes its log once it runs; stopping it before would race its start.
    const log = await waitForText(`${dir}/svc.log`, "hello world\n");
    assert.equal(await stopProcess(`${dir}/svc.pid`, { signal: "SIGTERM", graceMs: 5000 }), "stopped");
    assert.equal((await exitStatus(started)).signal, "SIGTERM");
    assert.equal(isRunning(record), false);
    assert.equal(log, "hello world\n");
    await assert.rejects(Deno.stat(`${dir}/svc.pid`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stopProcess() kills a process that ignores the first signal once the grace period ends", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const started = await startDetached({
      command: "sh",
      args: ["-c", "trap '' TERM; echo trapped; while true; do sleep 0.1; done"],
      logFile: `${dir}/svc.log`,
      pidFile: `${dir}/svc.pid`,
    });
    await waitForText(`${dir}/svc.log`, "trapped");
    assert.equal(await stopProcess(`${dir}/svc.pid`, { signal: "SIGTERM", graceMs: 300 }), "killed");
    assert.equal((await exitStatus(started)).signal, "SIGKILL");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stopProcess() never signals a pid whose start time no longer matches", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // This test process's own pid with a wrong start time stands for a recycled pid.
    await Deno.writeTextFile(`${dir}/svc.pid`, JSON.stringify({ pid: Deno.pid, startTime: "1" }));
    assert.equal(await stopProcess(`${dir}/svc.pid`, { signal: "SIGKILL", graceMs: 100 }), "not-running");
    await assert.rejects(Deno.stat(`${dir}/svc.pid`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("portInUse() is true for a bound port and false once it is released", () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  assert.equal(portInUse("127.0.0.1", port), true);
  listener.close();
  assert.equal(portInUse("127.0.0.1", port), false);
});

Deno.test("runCommand() appends output to the log and names the step and log on failure", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const log = `${dir}/install.log`;
    await runCommand("sh", ["-c", "echo out; echo err >&2"], { logFile: log, what: "Step one" });
    await assert.rejects(
      runCommand("sh", ["-c", "exit 3"], { logFile: log, what: "Step two" }),
      new RegExp(`Step two failed: sh exited with code 3; see ${log}`),
    );
    await assert.rejects(
      runCommand("no-such-command-xyz", [], { logFile: log, what: "Step three" }),
      /the command "no-such-command-xyz" was not found/,
    );
    assert.match(await Deno.readTextFile(log), /\$ sh -c echo out; echo err >&2\nout\nerr\n/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
