import type { ComponentChildren } from "preact";
import { StatusBarIsland } from "./islands/mod.ts";
import type { ClientAssets } from "./build_client.ts";

const NAV = [
  { href: "/", label: "Overview" },
  { href: "/customers", label: "Customers" },
  { href: "/pipeline", label: "Pipeline" },
  { href: "/lake", label: "Lake" },
];

/** Props of {@linkcode Shell}. */
export interface ShellProps {
  title: string;
  /** Request path, to mark the current section in the navigation. */
  path: string;
  assets: ClientAssets;
  children: ComponentChildren;
}

/** The document around every page: head, header with navigation and status bar, main, footer. */
export function Shell({ title, path, assets, children }: ShellProps) {
  const section = NAV.slice().reverse().find((n) => n.href === "/" ? path === "/" : path.startsWith(n.href));
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <title>{`${title} · Lakestream`}</title>
        <link rel="stylesheet" href={`${assets.base}/styles.css`} />
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to content</a>
        <header class="top">
          <div class="top-inner">
            <a class="brand" href="/" aria-label="Lakestream overview">
              <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
                <path d="M2 15c3 0 3-2 6-2s3 2 6 2 3-2 6-2v3c-3 0-3 2-6 2s-3-2-6-2-3 2-6 2z" fill="#7dd3fc" />
                <path d="M2 9c3 0 3-2 6-2s3 2 6 2 3-2 6-2v3c-3 0-3 2-6 2s-3-2-6-2-3 2-6 2z" fill="#38bdf8" />
              </svg>
              Lakestream
            </a>
            <nav aria-label="Sections">
              {NAV.map((n) => (
                <a href={n.href} aria-current={n === section ? "page" : undefined} key={n.href}>{n.label}</a>
              ))}
            </nav>
            <StatusBarIsland />
          </div>
        </header>
        <main id="main">{children}</main>
        <footer class="foot">
          Read-only view of the Delta lake · times in UTC · money in exact decimals
        </footer>
      </body>
    </html>
  );
}
