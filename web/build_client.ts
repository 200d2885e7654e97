/**
 * Builds the browser bundle with `deno bundle` (one splitting build: boot entry, one lazy chunk per island,
 * shared Preact/signals chunks, and the stylesheet) into `web/static/build/<hash>/`, where the hash covers
 * every web source file and deno.json. An unchanged tree reuses the existing build; concurrent builders of one
 * hash race safely (each writes a private folder and renames it into place; the loser discards its copy).
 *
 * @module
 */

const WEB = new URL("./", import.meta.url);
const ROOT = new URL("../", WEB);
const BUILD = new URL("static/build/", WEB);

/** Where the built client is served from. */
export interface ClientAssets {
  /** URL path prefix of the build: `/static/build/<hash>`. */
  base: string;
  /** Content hash of the sources the build came from. */
  hash: string;
}

async function sourceFiles(dir: URL, out: string[]): Promise<void> {
  for await (const e of Deno.readDir(dir)) {
    const url = new URL(e.name + (e.isDirectory ? "/" : ""), dir);
    if (e.isDirectory) {
      if (url.href !== BUILD.href) await sourceFiles(url, out);
    } else if (/\.(tsx?|css)$/.test(e.name) && !/_test\.tsx?$/.test(e.name)) {
      out.push(url.pathname);
    }
  }
}

/** Hash of the web sources and deno.json (first 12 hex digits of SHA-256). */
export async function clientSourceHash(): Promise<string> {
  const files: string[] = [];
  await sourceFiles(WEB, files);
  files.sort();
  files.push(new URL("deno.json", ROOT).pathname);
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (const f of files) {
    parts.push(enc.encode(`${f.slice(ROOT.pathname.length)}\0`), await Deno.readFile(f), enc.encode("\0"));
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return [...digest.slice(0, 6)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Builds the client unless a build of the current sources exists; returns where it is served. */
export async function buildClient(): Promise<ClientAssets> {
  const hash = await clientSourceHash();
  const target = new URL(`${hash}/`, BUILD);
  const assets = { base: `/static/build/${hash}`, hash };
  if (await exists(new URL("boot.js", target))) return assets;
  await Deno.mkdir(BUILD, { recursive: true });
  const tmp = new URL(`.tmp-${crypto.randomUUID()}/`, BUILD);
  try {
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [
        "bundle",
        "--quiet",
        "--config",
        new URL("deno.json", ROOT).pathname,
        "--platform=browser",
        "--code-splitting",
        "--minify",
        `--outdir=${tmp.pathname}`,
        new URL("client/boot.ts", WEB).pathname,
        new URL("client/styles.ts", WEB).pathname,
      ],
      cwd: ROOT.pathname,
      stdout: "null",
      stderr: "piped",
    }).output();
    if (code !== 0) {
      throw new Error(
        `Cannot build the dashboard client: deno bundle exited with ${code}\n${
          new TextDecoder().decode(stderr)
        }`,
      );
    }
    try {
      await Deno.rename(tmp, target);
    } catch (e) {
      // Another process finished the same build first: its copy is identical, keep it.
      if (!(await exists(new URL("boot.js", target)))) throw e;
    }
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
  }
  await removeStaleBuilds(hash);
  return assets;
}

/** Removes builds of other hashes that are over an hour old (a running older server may still use a recent one). */
async function removeStaleBuilds(keep: string): Promise<void> {
  for await (const e of Deno.readDir(BUILD)) {
    if (!e.isDirectory || e.name === keep || e.name.startsWith(".tmp-")) continue;
    const dir = new URL(`${e.name}/`, BUILD);
    const info = await Deno.stat(dir);
    if (Date.now() - (info.mtime?.getTime() ?? 0) > 3_600_000) {
      await Deno.remove(dir, { recursive: true }).catch(() => {
        // Another process removed it concurrently: the goal is reached either way.
      });
    }
  }
}

async function exists(url: URL): Promise<boolean> {
  try {
    await Deno.stat(url);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}
