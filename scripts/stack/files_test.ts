import assert from "node:assert/strict";
import { exists, removeIfExists, rotateIfLarger } from "./files.ts";

Deno.test("removeIfExists() removes folders recursively and accepts a missing path", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/a/b`, { recursive: true });
  await removeIfExists(`${dir}/a`);
  assert.equal(await exists(`${dir}/a`), false);
  await removeIfExists(`${dir}/a`);
  await removeIfExists(dir);
  assert.equal(await exists(dir), false);
});

Deno.test("rotateIfLarger() moves a log past the limit to .1 and leaves smaller ones", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const log = `${dir}/kafka.log`;
    assert.equal(await rotateIfLarger(log, 10), false);
    await Deno.writeTextFile(log, "0123456789");
    assert.equal(await rotateIfLarger(log, 10), false);
    await Deno.writeTextFile(log, "0123456789A");
    assert.equal(await rotateIfLarger(log, 10), true);
    assert.equal(await exists(log), false);
    assert.equal(await Deno.readTextFile(`${log}.1`), "0123456789A");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
