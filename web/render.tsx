/**
 * Page rendering: a route's body inside the shell, rendered to a string with the islands it used recorded,
 * followed by the state those islands need and the client boot script (pages without islands ship no JS).
 *
 * @module
 */
import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { collectIslands } from "./island.ts";
import { withServerDoc } from "./client/store.ts";
import { Shell } from "./shell.tsx";
import type { ClientAssets } from "./build_client.ts";
import type { DashboardDoc, Topic } from "./protocol/mod.ts";

/** What a page needs besides its body. */
export interface PageOptions {
  title: string;
  /** Request path (marks the current navigation item). */
  path: string;
  assets: ClientAssets;
  /** The document the islands render, and its event id (the client resumes the stream from it). */
  doc: DashboardDoc;
  eventId: string;
  /** @default 200 */
  status?: number;
}

/** JSON safe inside a `<script type="application/json">`: no `</script>`, `<!--` or line separators. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(
    /\u2029/g,
    "\\u2029",
  );
}

/** Renders a full HTML page response. */
export function renderPage(body: VNode, opts: PageOptions): Response {
  const { result: html, islands, topics } = withServerDoc(
    opts.doc,
    () =>
      collectIslands(() =>
        renderToString(<Shell title={opts.title} path={opts.path} assets={opts.assets}>{body}</Shell>)
      ),
  );
  let tail = "";
  if (islands.size > 0) {
    const doc: Partial<Record<Topic, unknown>> = {};
    for (const t of topics) doc[t] = opts.doc[t];
    tail =
      `<script type="application/json" id="lakestream-state">${
        scriptJson({ id: opts.eventId, doc })
      }</script>` +
      `<script type="module" src="${opts.assets.base}/boot.js"></script>`;
  }
  const end = html.lastIndexOf("</body>");
  return new Response(`<!DOCTYPE html>${html.slice(0, end)}${tail}${html.slice(end)}`, {
    status: opts.status ?? 200,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}
