/**
 * Server-Sent Events wire encoding (WHATWG HTML "Server-sent events"), modelled on std's
 * `ServerSentEventStream`: pure, so the exact bytes are unit-tested.
 *
 * @module
 */

/** One SSE frame. At least one field should be set; an empty frame is a bare blank line. */
export interface SseFrame {
  /** Comment text (`: …` lines): keeps proxies from idling out; fires no client event. */
  comment?: string;
  event?: string;
  id?: string;
  /** Reconnection delay the client should use, in ms. */
  retry?: number;
  /** Payload; split into one `data:` line per line. */
  data?: string;
}

const NEWLINE = /\r\n|\r|\n/;

/** The text of one frame, ending with the blank line that dispatches it. */
export function encodeFrame(frame: SseFrame): string {
  let out = "";
  if (frame.comment !== undefined) {
    for (const line of frame.comment.split(NEWLINE)) out += `: ${line}\n`;
  }
  if (frame.event !== undefined) {
    if (NEWLINE.test(frame.event)) {
      throw new SyntaxError(
        `Cannot encode SSE event name ${JSON.stringify(frame.event)}: it contains a newline`,
      );
    }
    out += `event: ${frame.event}\n`;
  }
  if (frame.id !== undefined) {
    if (NEWLINE.test(frame.id) || frame.id.includes("\0")) {
      throw new SyntaxError(`Cannot encode SSE id ${JSON.stringify(frame.id)}: it contains a newline or NUL`);
    }
    out += `id: ${frame.id}\n`;
  }
  if (frame.retry !== undefined) {
    if (!Number.isInteger(frame.retry) || frame.retry < 0) {
      throw new RangeError(`Cannot encode SSE retry ${frame.retry}: not a non-negative integer`);
    }
    out += `retry: ${frame.retry}\n`;
  }
  if (frame.data !== undefined) {
    for (const line of frame.data.split(NEWLINE)) out += `data: ${line}\n`;
  }
  return `${out}\n`;
}
