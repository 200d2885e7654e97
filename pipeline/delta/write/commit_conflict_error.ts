/** Why a transaction lost to a concurrent commit (Spark's ConflictChecker exception names). */
export type ConflictKind =
  | "protocol-changed"
  | "metadata-changed"
  | "concurrent-append"
  | "concurrent-delete-read"
  | "concurrent-delete-delete"
  | "concurrent-transaction"
  | "concurrent-domain"
  | "table-exists";

/**
 * A transaction could not commit because a concurrent commit changed what it read or wrote (delta-lake.md §11).
 * Retrying cannot help without re-reading the table: the caller redoes the operation on a new snapshot.
 */
export class CommitConflictError extends Error {
  override name = "CommitConflictError";
  constructor(
    readonly tableUrl: string,
    readonly kind: ConflictKind,
    /** The concurrent version that conflicts. */
    readonly version: number,
    detail: string,
  ) {
    super(`Cannot commit to "${tableUrl}": version ${version} conflicts (${kind}): ${detail}`);
  }
}
