/**
 * The optimistic-concurrency conflict rules of delta-lake.md §11 (Spark `ConflictChecker`, delta-rs
 * `conflict_checker.rs`), pure: given what a transaction read and wrote and the actions of one winning commit,
 * say whether the transaction may still commit on top of it.
 *
 * @module
 */
import type { Action, AddFile } from "../log/actions.ts";
import type { ConflictKind } from "./commit_conflict_error.ts";

/** What a pending transaction read and changes, for conflict checking. */
export interface TransactionFootprint {
  /**
   * Whether the transaction read table data (delete, upsert, overwrite). A blind append reads nothing, so
   * concurrent appends never conflict with it.
   */
  readsData: boolean;
  /**
   * Partitions the reads were limited to (partition value maps); undefined = the whole table. Only adds in these
   * partitions conflict with the reads.
   */
  readPartitions?: readonly Record<string, string | null>[];
  /**
   * The transaction's read predicate on files (an upsert's: may the file hold one of its keys, by stats); an
   * added file outside it cannot change what was read, so it does not conflict. @default every file
   */
  readFilter?: (add: AddFile) => boolean;
  /** Paths of files the transaction read (their removal by someone else is a conflict). */
  readPaths: ReadonlySet<string>;
  /** Paths the transaction removes. */
  removedPaths: ReadonlySet<string>;
  /** Application ids whose `txn` version the transaction read or writes. */
  appIds: ReadonlySet<string>;
  /** Domains the transaction writes. */
  domains: ReadonlySet<string>;
  /** Whether the transaction changes protocol or metadata (it then conflicts with any data change). */
  changesMetadata: boolean;
}

/** One reason a winning commit conflicts. */
export interface Conflict {
  kind: ConflictKind;
  detail: string;
}

function partitionMatches(
  values: Record<string, string | null>,
  partitions: readonly Record<string, string | null>[] | undefined,
): boolean {
  if (partitions === undefined) return true;
  return partitions.some((p) => Object.entries(p).every(([k, v]) => (values[k] ?? null) === v));
}

/**
 * The first conflict between the transaction and a winning commit's actions, or null when the transaction can
 * be retried at the next version unchanged (for example two blind appends).
 */
export function findConflict(tx: TransactionFootprint, winner: readonly Action[]): Conflict | null {
  for (const a of winner) {
    if ("protocol" in a) return { kind: "protocol-changed", detail: "the protocol was changed concurrently" };
  }
  for (const a of winner) {
    if ("metaData" in a) {
      return {
        kind: "metadata-changed",
        detail: "the table metadata (schema or properties) was changed concurrently",
      };
    }
  }
  const readsSomething = tx.readsData || tx.changesMetadata;
  for (const a of winner) {
    if ("add" in a && a.add.dataChange && readsSomething) {
      if (
        tx.changesMetadata ||
        (partitionMatches(a.add.partitionValues, tx.readPartitions) && (tx.readFilter?.(a.add) ?? true))
      ) {
        return {
          kind: "concurrent-append",
          detail: `file "${a.add.path}" was added to data this transaction read`,
        };
      }
    }
    if ("remove" in a) {
      const path = a.remove.path;
      if (tx.removedPaths.has(path)) {
        return { kind: "concurrent-delete-delete", detail: `file "${path}" was removed concurrently` };
      }
      if (a.remove.dataChange && tx.readPaths.has(path)) {
        return {
          kind: "concurrent-delete-read",
          detail: `file "${path}" that this transaction read was removed`,
        };
      }
    }
    if ("txn" in a && tx.appIds.has(a.txn.appId)) {
      return {
        kind: "concurrent-transaction",
        detail: `application "${a.txn.appId}" committed version ${a.txn.version} concurrently`,
      };
    }
    if ("domainMetadata" in a && tx.domains.has(a.domainMetadata.domain)) {
      return {
        kind: "concurrent-domain",
        detail: `domain "${a.domainMetadata.domain}" was changed concurrently`,
      };
    }
  }
  return null;
}
