import assert from "node:assert/strict";
import { choosePorts, explicitPorts, parseSavedPorts } from "./ports.ts";

const DEFAULTS = {
  kafka: 19092,
  kafkaController: 19093,
  connect: 18083,
  postgres: 15432,
  minio: 19000,
  minioConsole: 19001,
};
const freeExcept = (...busy: number[]) => (port: number) => !busy.includes(port);

Deno.test("choosePorts() keeps free default ports", () => {
  const r = choosePorts({
    configured: DEFAULTS,
    explicit: new Set(),
    saved: null,
    running: new Set(),
    isFree: freeExcept(),
  });
  assert.deepEqual(r, { ports: DEFAULTS, moved: [] });
});

Deno.test("choosePorts() moves a port another program holds by steps of 1000", () => {
  const r = choosePorts({
    configured: DEFAULTS,
    explicit: new Set(),
    saved: null,
    running: new Set(),
    isFree: freeExcept(19092, 20092, 15432),
  });
  assert.equal(r.ports.kafka, 21092);
  assert.equal(r.ports.postgres, 16432);
  assert.deepEqual(r.moved, [
    { key: "kafka", from: 19092, to: 21092 },
    { key: "postgres", from: 15432, to: 16432 },
  ]);
});

Deno.test("choosePorts() reuses saved ports and never moves explicit ones or those of running services", () => {
  const r = choosePorts({
    configured: { ...DEFAULTS, connect: 28083 },
    explicit: new Set(["connect"]),
    saved: { kafka: 20092, kafkaController: 20093, connect: 18083, postgres: 16432 },
    running: new Set(["postgres"]),
    isFree: freeExcept(28083, 16432),
  });
  assert.deepEqual(r.ports, {
    ...DEFAULTS,
    kafka: 20092,
    kafkaController: 20093,
    connect: 28083,
    postgres: 16432,
  });
  assert.deepEqual(r.moved, []);
});

Deno.test("choosePorts() never gives two settings the same port", () => {
  const r = choosePorts({
    configured: DEFAULTS,
    explicit: new Set(),
    saved: { minio: 20000, minioConsole: 20000 },
    running: new Set(),
    isFree: freeExcept(),
  });
  assert.equal(r.ports.minio, 20000);
  assert.equal(r.ports.minioConsole, 21000);
});

Deno.test("explicitPorts() lists the ports set through variables", () => {
  const vars: Record<string, string> = { LAKESTREAM_PG_PORT: "25432" };
  assert.deepEqual([...explicitPorts((n) => vars[n])], ["postgres"]);
});

Deno.test("parseSavedPorts() keeps valid entries and treats a cut file as absent", () => {
  assert.deepEqual(parseSavedPorts('{"kafka":20092,"connect":"x","minio":70000}'), { kafka: 20092 });
  assert.equal(parseSavedPorts('{"kafka":'), null);
});
