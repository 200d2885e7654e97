import assert from "node:assert/strict";
import { parseCommand, UsageError } from "./main.ts";

Deno.test("parseCommand() defaults up and down to every service", () => {
  assert.deepEqual(parseCommand(["up"]), {
    command: "up",
    services: ["kafka", "connect", "postgres", "minio"],
  });
  assert.deepEqual(parseCommand(["down", "minio"]), { command: "down", services: ["minio"] });
});

Deno.test("parseCommand() reads status, logs and help", () => {
  assert.deepEqual(parseCommand(["status"]), { command: "status" });
  assert.deepEqual(parseCommand(["logs", "kafka"]), { command: "logs", service: "kafka" });
  assert.deepEqual(parseCommand(["--help"]), { command: "help" });
});

Deno.test("parseCommand() throws UsageError with one line for bad input", () => {
  for (
    const [args, message] of [
      [[], /Missing command/],
      [["start"], /Unknown command "start"/],
      [["up", "zookeeper"], /Unknown service "zookeeper": expected one of kafka, connect, postgres, minio/],
      [["logs"], /"logs" takes one service/],
      [["status", "x"], /takes no arguments/],
    ] as const
  ) {
    assert.throws(() => parseCommand(args), (e) => e instanceof UsageError && message.test(e.message));
  }
});

Deno.test("main.ts exits 2 with a one-line message on a usage error", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./main.ts", import.meta.url).pathname, "frobnicate"],
  }).output();
  assert.equal(out.code, 2);
  const err = new TextDecoder().decode(out.stderr).trim();
  assert.equal(err.split("\n").length, 1);
  assert.match(err, /Unknown command "frobnicate"/);
});
