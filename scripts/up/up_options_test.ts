import assert from "node:assert/strict";
import { parseUpArgs, UsageError } from "./up_options.ts";

Deno.test("parseUpArgs() gives the embedded defaults without arguments", () => {
  assert.deepEqual(parseUpArgs([]), {
    stack: "embedded",
    data: "./data",
    port: 8000,
    rate: 20,
    duration: null,
    reset: false,
  });
});

Deno.test("parseUpArgs() reads every option", () => {
  assert.deepEqual(
    parseUpArgs([
      "--stack",
      "embedded",
      "--data",
      "/tmp/d",
      "--port",
      "0",
      "--rate",
      "2.5",
      "--duration",
      "30",
      "--reset",
    ]),
    { stack: "embedded", data: "/tmp/d", port: 0, rate: 2.5, duration: 30, reset: true },
  );
  assert.deepEqual(parseUpArgs(["--stack=local", "--rate=0"]), {
    stack: "local",
    data: "./data",
    port: 8000,
    rate: 0,
    duration: null,
    reset: false,
  });
  assert.equal(parseUpArgs(["-h"]), "help");
});

Deno.test("parseUpArgs() throws a one-line UsageError for bad input", () => {
  for (
    const [args, message] of [
      [["--stack", "k8s"], /Unknown --stack "k8s": expected embedded, local, docker/],
      [["--port", "65536"], /Bad --port "65536": expected a port/],
      [["--port", "http"], /Bad --port "http"/],
      [["--rate=-1"], /Bad --rate "-1": expected a number ≥ 0/],
      [["--duration", "0"], /Bad --duration "0": expected a number of seconds > 0/],
      [["--duration", ""], /Bad --duration ""/],
      [["--data", ""], /Bad --data ""/],
      [["--stack", "local", "--data", "x"], /--data applies to --stack embedded only/],
      [["--stack", "docker", "--reset"], /--reset applies to --stack embedded only/],
      [["--stack", "docker", "--rate", "5"], /--rate applies to --stack embedded and local only/],
      [["--frobnicate"], /frobnicate/],
      [["extra"], /extra/],
    ] as const
  ) {
    assert.throws(
      () => parseUpArgs(args),
      (e) => e instanceof UsageError && message.test(e.message) && !e.message.includes("\n"),
      args.join(" "),
    );
  }
});
