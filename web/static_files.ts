/**
 * Serves `web/static/` under `/static/`: build output (content-hashed folders) is immutable, other files are
 * revalidated. Paths are confined to the folder.
 *
 * @module
 */
import { HttpError } from "./http_error.ts";

const STATIC = new URL("./static/", import.meta.url);

const TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
  json: "application/json",
  map: "application/json",
};

/** The response for `/static/<path>`. */
export async function serveStatic(path: string, method: string): Promise<Response> {
  const segments = path.split("/");
  if (
    path === "" ||
    segments.some((s) => s === "" || s === "." || s === ".." || s.startsWith(".") || s.includes("\\"))
  ) {
    throw new HttpError(404, `No static file "${path}"`);
  }
  const ext = /\.([a-z0-9]+)$/.exec(path)?.[1] ?? "";
  const type = TYPES[ext];
  if (!type) throw new HttpError(404, `No static file "${path}"`);
  let file: Deno.FsFile;
  try {
    file = await Deno.open(new URL(segments.map(encodeURIComponent).join("/"), STATIC));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.IsADirectory) {
      throw new HttpError(404, `No static file "${path}"`);
    }
    throw e;
  }
  const { size, isFile } = await file.stat();
  if (!isFile) {
    file.close();
    throw new HttpError(404, `No static file "${path}"`);
  }
  const headers = {
    "content-type": type,
    "content-length": String(size),
    "cache-control": path.startsWith("build/")
      ? "public, max-age=31536000, immutable"
      : "public, max-age=300",
  };
  if (method === "HEAD") {
    file.close();
    return new Response(null, { headers });
  }
  return new Response(file.readable, { headers });
}
