/**
 * Validation of query parameters and path segments: anything unexpected is a 400 with a message that names
 * the parameter, the value and what is allowed.
 *
 * @module
 */
import { HttpError } from "./http_error.ts";

/** Rejects parameters other than `allowed` (so typos do not silently show a default view). */
export function onlyParams(url: URL, allowed: readonly string[]): void {
  for (const key of url.searchParams.keys()) {
    if (!allowed.includes(key)) {
      const expected = allowed.length === 0 ? "none" : allowed.map((a) => `"${a}"`).join(", ");
      throw new HttpError(400, `Unknown query parameter "${key}": expected ${expected}`);
    }
  }
}

/** One of `choices`, or `fallback` when absent. */
export function choiceParam<T extends string>(url: URL, name: string, choices: readonly T[], fallback: T): T {
  const v = url.searchParams.get(name);
  if (v === null) return fallback;
  if (!(choices as readonly string[]).includes(v)) {
    throw new HttpError(400, `Bad ${name} "${v}": expected one of ${choices.join(", ")}`);
  }
  return v as T;
}

/** A non-negative integer parameter, or null when absent. */
export function intParam(url: URL, name: string, max = Number.MAX_SAFE_INTEGER): number | null {
  const v = url.searchParams.get(name);
  return v === null ? null : parseNonNegativeInt(v, name, max);
}

/** A non-negative integer from text (a path segment or parameter). */
export function parseNonNegativeInt(text: string, name: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d{1,16}$/.test(text) || Number(text) > max) {
    throw new HttpError(400, `Bad ${name} "${text.slice(0, 40)}": expected an integer from 0 to ${max}`);
  }
  return Number(text);
}

/** A free-text parameter, trimmed, at most `maxLength` characters; "" when absent. */
export function textParam(url: URL, name: string, maxLength: number): string {
  const v = (url.searchParams.get(name) ?? "").trim();
  if (v.length > maxLength) {
    throw new HttpError(400, `Bad ${name}: at most ${maxLength} characters, got ${v.length}`);
  }
  return v;
}
