/**
 * The SSE hub: one in-memory dashboard document fed by the lake, fanned out to every connected tab.
 *
 * Each client holds only the sequence number it has sent; a frame is built when its stream asks for one (the
 * HTTP layer pulls only as fast as the socket drains), so a slow client's updates are coalesced into one patch
 * of everything it missed (or a fresh snapshot once that fell out of the replay ring), never queued.
 *
 * @module
 */
import {
  applyPatch,
  type DashboardDoc,
  formatEventId,
  isEmptyPatch,
  mergePatches,
  parseEventId,
  type Patch,
} from "../protocol/mod.ts";
import { encodeFrame } from "./encode_frame.ts";

/** Options of {@linkcode StreamHub}. */
export interface StreamHubOptions {
  /** Identifies this server process in event ids; a resume id from another epoch gets a snapshot. */
  epoch: string;
  /** Patches kept for replay on resume. @default 512 */
  ringSize?: number;
  /** Interval of `event: heartbeat` frames, in ms. @default 15000 */
  heartbeatMs?: number;
  /** Base reconnection delay sent as `retry:`; each connection adds up to 1 s of jitter. @default 3000 */
  retryMs?: number;
  /** Source of jitter in [0, 1). @default Math.random */
  random?: () => number;
  /** Clock for heartbeat payloads (epoch ms). @default Date.now */
  now?: () => number;
}

/** Counters for health and benchmarks. */
export interface HubStats {
  clients: number;
  /** Frames written to clients (snapshots, patches, heartbeats). */
  frames: number;
  snapshots: number;
  /** Patch frames that carried more than one published patch (a client was behind). */
  coalesced: number;
}

interface RingEntry {
  seq: number;
  patch: Patch;
}

interface Client {
  /** Sequence number the client has; null when it needs a snapshot. */
  sent: number | null;
  heartbeatDue: boolean;
  closed: boolean;
  /** Resolves a pending pull when something happens. */
  wake: (() => void) | null;
  close: () => void;
}

const encoder = new TextEncoder();

/** The response headers of an SSE stream (no-transform keeps proxies and compression from buffering it). */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
};

/** Fans one document out to many SSE clients with resume, coalescing and heartbeats. */
export class StreamHub {
  #doc: DashboardDoc;
  #seq = 0;
  #ring: RingEntry[] = [];
  #clients = new Set<Client>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #closed = false;
  #snapshotCache: { seq: number; text: string } | null = null;
  #patchCache = new Map<number, string>();
  readonly #opts: Required<StreamHubOptions>;
  readonly #stats = { frames: 0, snapshots: 0, coalesced: 0 };

  constructor(doc: DashboardDoc, options: StreamHubOptions) {
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(options.epoch)) {
      throw new TypeError(
        `Cannot create stream hub: epoch "${options.epoch}" is not 1-32 letters, digits, _ or -`,
      );
    }
    this.#doc = doc;
    this.#opts = {
      ringSize: 512,
      heartbeatMs: 15_000,
      retryMs: 3000,
      random: Math.random,
      now: Date.now,
      ...options,
    };
  }

  /** The current document. */
  get doc(): DashboardDoc {
    return this.#doc;
  }

  /** Id of the current state, as sent with the latest frame. */
  get lastEventId(): string {
    return formatEventId({ epoch: this.#opts.epoch, seq: this.#seq });
  }

  /** Counters since start. */
  get stats(): HubStats {
    return { clients: this.#clients.size, ...this.#stats };
  }

  /** Applies a patch and wakes every client; empty patches are ignored. */
  publish(patch: Patch): void {
    if (this.#closed || isEmptyPatch(patch)) return;
    this.#doc = applyPatch(this.#doc, patch);
    this.#seq++;
    this.#ring.push({ seq: this.#seq, patch });
    if (this.#ring.length > this.#opts.ringSize) this.#ring.shift();
    this.#patchCache.clear();
    for (const c of this.#clients) c.wake?.();
  }

  /**
   * A streaming response for one client. `since` is the client's `Last-Event-ID` (or `?since=`): when it is
   * this process's and still in the replay ring, the client gets only what it missed; otherwise a snapshot.
   */
  respond(since: string | null): Response {
    if (this.#closed) {
      return new Response("The dashboard is shutting down\n", {
        status: 503,
        headers: { "retry-after": "1" },
      });
    }
    const id = parseEventId(since);
    const resumable = id !== null && id.epoch === this.#opts.epoch && id.seq <= this.#seq &&
      id.seq >= this.#oldestResumable();
    let client!: Client;
    let pendingRetry: number | null = this.#opts.retryMs + Math.floor(this.#opts.random() * 1000);
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        client = {
          sent: resumable ? id.seq : null,
          heartbeatDue: false,
          closed: false,
          wake: null,
          close: () => {
            if (client.closed) return;
            client.closed = true;
            this.#clients.delete(client);
            client.wake?.();
            try {
              controller.close();
            } catch {
              // Already closed or errored by the runtime (the client left): nothing more to end.
            }
          },
        };
        this.#clients.add(client);
        this.#startHeartbeat();
      },
      pull: async (controller) => {
        while (!client.closed) {
          let text = pendingRetry === null ? "" : encodeFrame({ retry: pendingRetry });
          pendingRetry = null;
          text += this.#nextFrames(client);
          if (text !== "") {
            controller.enqueue(encoder.encode(text));
            return;
          }
          await new Promise<void>((resolve) => client.wake = resolve);
          client.wake = null;
        }
      },
      cancel: () => {
        // The client went away: forget it (its pending pull is woken and ends).
        client.close();
      },
    }, { highWaterMark: 1 });
    return new Response(body, { headers: SSE_HEADERS });
  }

  /** Ends every client stream; the clients reconnect and resume from their last event id. */
  disconnectAll(): void {
    for (const c of [...this.#clients]) c.close();
  }

  /** Ends every client stream (clients reconnect to the next process), refuses new ones, stops the heartbeat. */
  close(): void {
    this.#closed = true;
    this.disconnectAll();
    this.#stopHeartbeat();
  }

  #oldestResumable(): number {
    return this.#ring.length === 0 ? this.#seq : this.#ring[0].seq - 1;
  }

  #nextFrames(client: Client): string {
    let text = "";
    if (client.sent === null || client.sent < this.#oldestResumable()) {
      text += this.#snapshotFrame();
      client.sent = this.#seq;
      this.#stats.snapshots++;
      this.#stats.frames++;
    } else if (client.sent < this.#seq) {
      text += this.#patchFrame(client.sent);
      if (this.#seq - client.sent > 1) this.#stats.coalesced++;
      client.sent = this.#seq;
      this.#stats.frames++;
    }
    if (client.heartbeatDue) {
      client.heartbeatDue = false;
      text += encodeFrame({ event: "heartbeat", data: JSON.stringify({ now: this.#opts.now() }) });
      this.#stats.frames++;
    }
    return text;
  }

  #snapshotFrame(): string {
    if (this.#snapshotCache?.seq !== this.#seq) {
      this.#snapshotCache = {
        seq: this.#seq,
        text: encodeFrame({ event: "snapshot", id: this.lastEventId, data: JSON.stringify(this.#doc) }),
      };
    }
    return this.#snapshotCache.text;
  }

  /** One frame with every patch after `from`, shared by all clients that are equally far behind. */
  #patchFrame(from: number): string {
    let text = this.#patchCache.get(from);
    if (text === undefined) {
      const start = this.#ring.findIndex((e) => e.seq > from);
      const patch = this.#ring.slice(start).reduce((acc, e) => mergePatches(acc, e.patch), {} as Patch);
      text = encodeFrame({ event: "patch", id: this.lastEventId, data: JSON.stringify(patch) });
      this.#patchCache.set(from, text);
    }
    return text;
  }

  #startHeartbeat(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      if (this.#clients.size === 0) return this.#stopHeartbeat();
      for (const c of this.#clients) {
        c.heartbeatDue = true;
        c.wake?.();
      }
    }, this.#opts.heartbeatMs);
  }

  #stopHeartbeat(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
