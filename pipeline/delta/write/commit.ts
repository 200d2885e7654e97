/**
 * Committing a transaction: one commit file, published with put-if-absent at the next version; on a lost race
 * the winning commits are checked against the conflict rules and, when they do not conflict, the same bytes
 * are retried at the following version (delta-lake.md §11, §12, §20).
 *
 * @module
 */
import type { Action, CommitInfo } from "../log/actions.ts";
import { commitKey } from "../log/log_path.ts";
import { readLogFile } from "../log/read_log_file.ts";
import { AlreadyExistsError, type ObjectStore } from "../storage/object_store.ts";
import { ensurePutIfAbsent } from "../storage/put_if_absent_probe.ts";
import { CommitConflictError } from "./commit_conflict_error.ts";
import { findConflict, type TransactionFootprint } from "./commit_conflicts.ts";

/** Engine name written into every commitInfo. */
export const ENGINE_INFO = `Lakestream/0.1 Deno/${Deno.version.deno}`;

/** A transaction ready to commit. */
export interface CommitRequest {
  /** The snapshot version the transaction read; -1 when it creates the table. */
  readVersion: number;
  /** The actions (protocol, metaData, txn, add, remove, cdc), without commitInfo. */
  actions: readonly Action[];
  /** commitInfo.operation, e.g. "WRITE", "DELETE", "MERGE", "OPTIMIZE", "CREATE TABLE". */
  operation: string;
  /** commitInfo.operationParameters; values are strings, as history readers expect. */
  operationParameters: Record<string, string>;
  operationMetrics?: Record<string, string>;
  /** What the transaction read and changes, for the conflict rules. */
  footprint: TransactionFootprint;
  isBlindAppend: boolean;
  /** Clock in ms since the epoch. @default Date.now */
  now?: () => number;
  /** Unique id of this transaction (commitInfo.txnId). @default a random UUID */
  txnId?: string;
  /** Give up after this many lost races without conflict. @default 1000 */
  maxAttempts?: number;
  /** Skip the put-if-absent probe and allow a store that ignores it (only one writer may exist). */
  singleWriter?: boolean;
}

/** The committed version and how many versions were tried. */
export interface CommitResult {
  version: number;
  attempts: number;
}

/** The newline-terminated JSON of a commit: commitInfo first (required with in-commit timestamps), one action per line. */
export function serializeCommit(actions: readonly Action[]): Uint8Array {
  let text = "";
  for (const a of actions) text += JSON.stringify(a) + "\n";
  return new TextEncoder().encode(text);
}

/**
 * Commits `request` to the table in `store`. Resolves with the version written; rejects with
 * {@linkcode CommitConflictError} when a concurrent commit conflicts (the data files the transaction wrote are
 * then unreferenced and VACUUM removes them).
 */
export async function commitTransaction(store: ObjectStore, request: CommitRequest): Promise<CommitResult> {
  await ensurePutIfAbsent(store, { singleWriter: request.singleWriter });
  const now = request.now ?? Date.now;
  const info: CommitInfo = {
    timestamp: now(),
    operation: request.operation,
    operationParameters: request.operationParameters,
    ...(request.readVersion >= 0 ? { readVersion: request.readVersion } : {}),
    isolationLevel: "Serializable",
    isBlindAppend: request.isBlindAppend,
    ...(request.operationMetrics ? { operationMetrics: request.operationMetrics } : {}),
    engineInfo: ENGINE_INFO,
    txnId: request.txnId ?? crypto.randomUUID(),
  };
  const bytes = serializeCommit([{ commitInfo: info }, ...request.actions]);
  const maxAttempts = request.maxAttempts ?? 1000;
  let version = request.readVersion + 1;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    try {
      await store.putIfAbsent(commitKey(version), bytes);
      return { version, attempts: attempt };
    } catch (e) {
      if (!(e instanceof AlreadyExistsError)) throw e;
    }
    if (version === 0) {
      throw new CommitConflictError(store.url, "table-exists", 0, "the table was created concurrently");
    }
    const winner = await readLogFile(store, commitKey(version));
    const conflict = findConflict(request.footprint, winner);
    if (conflict) throw new CommitConflictError(store.url, conflict.kind, version, conflict.detail);
    version++;
  }
  throw new Error(
    `Cannot commit to "${store.url}": lost ${maxAttempts} races in a row to concurrent writers without conflict`,
  );
}
