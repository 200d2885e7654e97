import { formatDuration, formatTime } from "../format.ts";
import { useTopic } from "../client/store.ts";
import { useNow } from "../client/use_now.ts";

const OP = {
  c: { text: "insert", cls: "op-c" },
  u: { text: "update", cls: "op-u" },
  d: { text: "delete", cls: "op-d" },
};

/** The latest row changes the lake received, newest first (derived from Delta commits by key). */
export default function LiveFeed() {
  const feed = useTopic("feed");
  const now = useNow();
  const items = feed.slice(-20).reverse();
  return (
    <section class="card" aria-labelledby="feed-title" data-testid="live-feed">
      <div class="card-head">
        <h2 id="feed-title">Live changes</h2>
        <span class="muted">from Delta commits</span>
      </div>
      {items.length === 0
        ? <p class="empty">Waiting for the next commit…</p>
        : (
          <ol class="feed" aria-live="off">
            {items.map((it) => (
              <li key={it.id} class="feed-item">
                <span class={`op ${OP[it.op].cls}`}>{OP[it.op].text}</span>
                <span class="feed-main">
                  <span class="strong">{it.table}</span> <code>{it.key}</code>
                  <span class="feed-fields">
                    {it.fields.map((f) => (
                      <span key={f.column} class="field">
                        {f.column}: {it.op === "u"
                          ? (
                            <>
                              <del>{f.before ?? "null"}</del> → <ins>{f.after ?? "null"}</ins>
                            </>
                          )
                          : (f.after ?? f.before ?? "null")}
                      </span>
                    ))}
                  </span>
                </span>
                <span class="feed-time muted">
                  <time dateTime={new Date(it.at).toISOString()}>{formatTime(it.at)}</time>
                  {now !== null && <span class="hide-narrow">{` · ${formatDuration(now - it.at)} ago`}</span>}
                  <span class="sub">v{it.version}</span>
                </span>
              </li>
            ))}
          </ol>
        )}
    </section>
  );
}
