/**
 * Deterministic display formatting shared by the server renderer and the islands. It never uses `Intl`, whose
 * output differs between Deno's ICU and a browser's, so server-rendered text and hydrated text always agree.
 * Money arrives as exact decimal text and is grouped as text, never through a float.
 *
 * @module
 */

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * Money from exact decimal text, with thousands separators and two decimals: `"12345.6"` → `"$12,345.60"`.
 * Digits beyond the cents are rounded half up on the text, so `"0.125"` → `"$0.13"`.
 */
export function formatMoney(decimal: string): string {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(decimal.trim());
  if (!m) throw new SyntaxError(`Cannot format money "${decimal}": not a decimal number`);
  const [, sign] = m;
  let int = m[2] || "0";
  let frac = (m[3] ?? "").padEnd(3, "0");
  let cents = BigInt(int + frac.slice(0, 2));
  if (Number(frac[2]) >= 5) cents += 1n;
  const text = cents.toString().padStart(3, "0");
  int = text.slice(0, -2);
  frac = text.slice(-2);
  const negative = sign === "-" && cents !== 0n;
  return `${negative ? "-" : ""}$${group(int)}.${frac}`;
}

/** An integer count with thousands separators: `12345` → `"12,345"`. */
export function formatCount(n: number | string): string {
  const text = typeof n === "number" ? Math.round(n).toString() : n;
  return text.startsWith("-") ? `-${group(text.slice(1))}` : group(text);
}

/** A number with a fixed count of decimals and separators: `formatNumber(1234.5, 1)` → `"1,234.5"`. */
export function formatNumber(n: number, decimals: number): string {
  const [int, frac] = Math.abs(n).toFixed(decimals).split(".");
  return `${n < 0 && Number(n.toFixed(decimals)) !== 0 ? "-" : ""}${group(int)}${frac ? `.${frac}` : ""}`;
}

/** Relative change from `previous` to `current` as a signed percentage: `"+12.5 %"`, or null when undefined. */
export function formatChange(current: number, previous: number): string | null {
  if (!Number.isFinite(current) || !Number.isFinite(previous) || previous === 0) return null;
  const pct = ((current - previous) / Math.abs(previous)) * 100;
  const text = formatNumber(pct, Math.abs(pct) >= 100 ? 0 : 1);
  return `${pct > 0 ? "+" : pct < 0 ? "" : "±"}${text} %`;
}

function pad2(n: number): string {
  return n.toString().padStart(2, "0");
}

/** Time of day in UTC: `"14:03:07"`. */
export function formatTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** Date and time in UTC: `"2026-05-01 14:03:07 UTC"`. */
export function formatDateTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${
    formatTime(epochMs)
  } UTC`;
}

/** A duration for "… ago" and lag texts: `"850 ms"`, `"1.2 s"`, `"4 min"`, `"3 h"`, `"2 d"`. */
export function formatDuration(ms: number): string {
  const abs = Math.max(0, ms);
  if (abs < 1000) return `${Math.round(abs)} ms`;
  if (abs < 10_000) return `${formatNumber(abs / 1000, 1)} s`;
  if (abs < 60_000) return `${Math.round(abs / 1000)} s`;
  if (abs < 3_600_000) return `${Math.round(abs / 60_000)} min`;
  if (abs < 86_400_000) return `${Math.round(abs / 3_600_000)} h`;
  return `${Math.round(abs / 86_400_000)} d`;
}

/** A byte size: `"812 B"`, `"4.2 KiB"`, `"1.5 MiB"`. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${bytes} B` : `${formatNumber(v, v >= 100 ? 0 : 1)} ${units[i]}`;
}
