import assert from "node:assert/strict";
import { archiveClasses, cdsFiles, cdsFlags, javaCommand, jdkId } from "./jvm_cds.ts";

Deno.test("javaCommand() prefers JAVA_HOME", () => {
  assert.equal(javaCommand((n) => n === "JAVA_HOME" ? "/opt/jdk" : undefined), "/opt/jdk/bin/java");
  assert.equal(javaCommand(() => undefined), "java");
});

Deno.test("jdkId() identifies the installed JDK and gives up on a java without a release file", async () => {
  assert.match((await jdkId("java")) ?? "", /^[0-9a-f]{8}$/);
  assert.equal(await jdkId("java"), await jdkId("java"));
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/bin`);
    await Deno.writeTextFile(`${dir}/bin/java`, "#!/bin/sh\n", { mode: 0o755 });
    assert.equal(await jdkId(`${dir}/bin/java`), null);
    assert.equal(await jdkId("no-such-java-here"), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cdsFlags() records a class list, archiveClasses() turns it into an archive the JVM maps", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const files = cdsFiles(dir, "svc", "test");
    const record = await cdsFlags(files);
    assert.deepEqual(record, [`-XX:DumpLoadedClassList=${files.classList}`]);
    const run = (flags: string[]) =>
      new Deno.Command("java", { args: [...flags, "-cp", dir, "-version"], stdout: "null", stderr: "piped" })
        .output();
    assert.ok((await run(record)).success);
    // A JVM killed while writing leaves a cut last line; only whole lines are archived.
    await Deno.writeTextFile(files.classList, "java/lang/Obj", { append: true });
    assert.equal(await archiveClasses(files, "java", dir, `${dir}/install.log`), true);
    await assert.rejects(Deno.stat(files.classList), Deno.errors.NotFound);
    const mapped = await cdsFlags(files);
    assert.deepEqual(mapped, [`-XX:SharedArchiveFile=${files.archive}`]);
    // -Xshare:on fails unless the archive maps.
    const out = await run([...mapped, "-Xshare:on"]);
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    assert.equal(await archiveClasses(files, "java", dir, `${dir}/install.log`), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
