import assert from "node:assert/strict";
import { dockerEngineProblem } from "./docker_stack.ts";

Deno.test("dockerEngineProblem() is null when docker info succeeds", async () => {
  const calls: string[][] = [];
  const problem = await dockerEngineProblem((command, args) => {
    calls.push([command, ...args]);
    return Promise.resolve({ code: 0, stderr: "" });
  });
  assert.equal(problem, null);
  assert.deepEqual(calls, [["docker", "info", "--format", "{{.ServerVersion}}"]]);
});

Deno.test("dockerEngineProblem() gives the Docker CLI's last line when no engine answers", async () => {
  const stderr = "Client:\n Version: 28.2.2\n\nServer:\n" +
    "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n";
  assert.equal(
    await dockerEngineProblem(() => Promise.resolve({ code: 1, stderr })),
    "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
  );
  assert.equal(
    await dockerEngineProblem(() => Promise.resolve({ code: 125, stderr: "" })),
    "docker info exited with code 125",
  );
});

Deno.test("dockerEngineProblem() says when the docker command is missing", async () => {
  assert.equal(
    await dockerEngineProblem(() => Promise.reject(new Deno.errors.NotFound("docker"))),
    "the docker command is not installed",
  );
});
