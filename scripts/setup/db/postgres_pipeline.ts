/**
 * Pipelined transactions on one `pg` connection: many small transactions, each `BEGIN; <prepared statement>;
 * COMMIT`, sent with the extended protocol in one write and one Sync, so they cost one round trip together
 * while each statement is parsed and planned once per connection. npm `pg` sends one query per round trip and
 * has no pipelining; this is a custom Submittable (the extension point pg-cursor and pg-query-stream use),
 * written against pg 8.23 (pinned).
 *
 * After an error the server skips everything up to the Sync: the transactions before it committed (counted by
 * their COMMIT completions), the failed one is aborted and must be rolled back, the rest never ran.
 *
 * @module
 */
import { EventEmitter } from "node:events";

/** The parts of pg's connection object this module drives (pg/lib/connection.js). */
export interface PgConnection {
  parse(query: { text: string; name: string; types: number[] }): void;
  bind(config: { statement: string; values: (string | null)[] }): void;
  execute(config: Record<string, never>): void;
  sync(): void;
  stream: { cork?: () => void; uncork?: () => void };
  /** Statement name → text of the statements pg knows are parsed on this connection. */
  parsedStatements: Record<string, string>;
}

/** One statement to execute: a name for its prepared form, its `$n` text and its parameter values as text. */
export interface PipelinedStatement {
  name: string;
  text: string;
  values: (string | null)[];
}

const BEGIN: PipelinedStatement = { name: "lakestream_begin", text: "BEGIN", values: [] };
const COMMIT: PipelinedStatement = { name: "lakestream_commit", text: "COMMIT", values: [] };

/**
 * A pg Submittable running each statement as its own transaction. `done` settles with the number of committed
 * transactions and the error that stopped the pipeline (or null).
 */
export class PipelinedTransactions extends EventEmitter {
  readonly done: Promise<{ committed: number; error: unknown }>;
  #statements: readonly PipelinedStatement[];
  #committed = 0;
  #error: unknown = null;
  #parsed: string[] = [];
  #connection: PgConnection | null = null;
  #resolve!: (r: { committed: number; error: unknown }) => void;

  constructor(statements: readonly PipelinedStatement[]) {
    super();
    this.#statements = statements;
    this.done = new Promise((resolve) => (this.#resolve = resolve));
  }

  /** Called by pg when the query reaches the head of its queue. */
  submit(connection: PgConnection): void {
    this.#connection = connection;
    const send = (s: PipelinedStatement) => {
      if (connection.parsedStatements[s.name] === undefined && !this.#parsed.includes(s.name)) {
        connection.parse({ text: s.text, name: s.name, types: [] });
        this.#parsed.push(s.name);
      }
      connection.bind({ statement: s.name, values: s.values });
      connection.execute({});
    };
    connection.stream.cork?.();
    try {
      for (const s of this.#statements) {
        send(BEGIN);
        send(s);
        send(COMMIT);
      }
      connection.sync();
    } finally {
      connection.stream.uncork?.();
    }
  }

  handleCommandComplete(msg: { text?: string }): void {
    if (msg.text === "COMMIT") this.#committed++;
  }

  handleError(error: unknown): void {
    // pg forgets the active query on an error; the ReadyForQuery that follows the Sync is not delivered here.
    this.#error = error;
    this.#finish();
  }

  handleReadyForQuery(): void {
    this.#finish();
  }

  #finish(): void {
    if (this.#error === null && this.#connection) {
      // Every Parse was processed: pg may skip parsing these names from now on.
      for (const s of [BEGIN, COMMIT, ...this.#statements]) {
        this.#connection.parsedStatements[s.name] = s.text;
      }
    }
    this.#resolve({ committed: this.#committed, error: this.#error });
  }

  // Messages this pipeline does not need: rows (only checks come back) and the rest of the protocol.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(): void {}
  handleCopyData(): void {}
}
