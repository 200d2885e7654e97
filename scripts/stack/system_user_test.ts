import assert from "node:assert/strict";
import { parsePasswd, systemUser } from "./system_user.ts";

Deno.test("parsePasswd() returns the ids of the named account", () => {
  const text =
    "root:x:0:0:root:/root:/bin/bash\npostgres:x:101:104:PostgreSQL administrator:/var/lib/postgresql:/bin/bash\n";
  assert.deepEqual(parsePasswd(text, "postgres"), {
    name: "postgres",
    uid: 101,
    gid: 104,
    home: "/var/lib/postgresql",
  });
  assert.equal(parsePasswd(text, "nobody"), null);
});

Deno.test("systemUser() finds root and names a missing account", async () => {
  assert.equal((await systemUser("root")).uid, 0);
  await assert.rejects(systemUser("no-such-user-here"), /Cannot find the system user "no-such-user-here"/);
});
