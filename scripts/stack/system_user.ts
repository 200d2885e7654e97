/**
 * Looking up a system account (PostgreSQL must run as the `postgres` user the Debian package creates:
 * `initdb` and `postgres` refuse to run as root).
 *
 * @module
 */

/** A system account's numeric ids. */
export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
  /** Home directory. */
  home: string;
}

/** Finds `name` in the text of /etc/passwd, or returns null. */
export function parsePasswd(text: string, name: string): SystemUser | null {
  for (const line of text.split("\n")) {
    const [user, , uid, gid, , home] = line.split(":");
    if (user === name && /^\d+$/.test(uid ?? "") && /^\d+$/.test(gid ?? "")) {
      return { name, uid: Number(uid), gid: Number(gid), home: home ?? "" };
    }
  }
  return null;
}

/** Looks up `name` in /etc/passwd; throws an Error saying which account is missing. */
export async function systemUser(name: string): Promise<SystemUser> {
  const user = parsePasswd(await Deno.readTextFile("/etc/passwd"), name);
  if (!user) throw new Error(`Cannot find the system user "${name}" in /etc/passwd`);
  return user;
}
