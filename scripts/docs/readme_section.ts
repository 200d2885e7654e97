/**
 * Generated sections of a Markdown document, between `<!-- name:start -->` and `<!-- name:end -->` markers, so
 * a script can rewrite them and a test can check they match the code.
 *
 * @module
 */

function markers(name: string): { start: string; end: string } {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) {
    throw new TypeError(`Cannot use section name "${name}": use lower-case letters, digits and "-"`);
  }
  return { start: `<!-- ${name}:start -->`, end: `<!-- ${name}:end -->` };
}

function bounds(text: string, name: string): { from: number; to: number } {
  const { start, end } = markers(name);
  const at = text.indexOf(start);
  const endAt = text.indexOf(end);
  if (at < 0 || endAt < 0 || endAt < at || text.indexOf(start, at + 1) >= 0) {
    throw new SyntaxError(`Cannot find section "${name}": expected one "${start}" followed by one "${end}"`);
  }
  return { from: at + start.length, to: endAt };
}

/** The body of section `name` (without the markers, trimmed). */
export function readSection(text: string, name: string): string {
  const { from, to } = bounds(text, name);
  return text.slice(from, to).trim();
}

/** `text` with the body of section `name` replaced by `body` (one blank line inside each marker). */
export function replaceSection(text: string, name: string, body: string): string {
  const { from, to } = bounds(text, name);
  return `${text.slice(0, from)}\n\n${body.trim()}\n\n${text.slice(to)}`;
}
