import type { ComponentChildren } from "preact";

/** A page title with an optional subtitle and actions. */
export function PageHead(
  { title, subtitle, children }: { title: string; subtitle?: string; children?: ComponentChildren },
) {
  return (
    <div class="page-head">
      <div>
        <h1>{title}</h1>
        {subtitle && <p class="muted">{subtitle}</p>}
      </div>
      {children}
    </div>
  );
}
