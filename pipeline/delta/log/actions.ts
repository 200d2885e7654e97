/**
 * Delta log actions, in the JSON shapes of PROTOCOL.md (field names exactly as written in `_delta_log`).
 * Unknown fields are kept as they are read; unknown action types are ignored by replay.
 *
 * @module
 */

/** `protocol`: reader/writer versions and, from (3,7), explicit feature lists. */
export interface Protocol {
  minReaderVersion: number;
  minWriterVersion: number;
  /** Present only when minReaderVersion = 3. */
  readerFeatures?: string[];
  /** Present only when minWriterVersion = 7. */
  writerFeatures?: string[];
}

/** `metaData`: the table's identity, schema, partitioning and properties. */
export interface Metadata {
  id: string;
  name?: string | null;
  description?: string | null;
  format: { provider: string; options: Record<string, string> };
  /** Spark StructType JSON, serialized as one string. */
  schemaString: string;
  partitionColumns: string[];
  configuration: Record<string, string>;
  createdTime?: number | null;
}

/** A deletion vector descriptor (PROTOCOL.md "Deletion Vectors"). */
export interface DeletionVectorDescriptor {
  /** `u` (relative path from a UUID), `i` (inline), `p` (absolute path). */
  storageType: "u" | "i" | "p";
  pathOrInlineDv: string;
  offset?: number;
  sizeInBytes: number;
  cardinality: number;
  maxRowIndex?: number;
}

/** `add`: a data file that is part of the table. */
export interface AddFile {
  /** URI-encoded path relative to the table root (percent-decode once for the storage key). */
  path: string;
  /** Every partition column → its serialized value, or null. */
  partitionValues: Record<string, string | null>;
  size: number;
  modificationTime: number;
  dataChange: boolean;
  /** JSON-encoded {@linkcode FileStats}. */
  stats?: string | null;
  tags?: Record<string, string> | null;
  deletionVector?: DeletionVectorDescriptor | null;
  baseRowId?: number | null;
  defaultRowCommitVersion?: number | null;
  clusteringProvider?: string | null;
}

/** `remove`: a logical delete of a file (a tombstone until VACUUM). */
export interface RemoveFile {
  path: string;
  deletionTimestamp?: number | null;
  dataChange: boolean;
  extendedFileMetadata?: boolean | null;
  partitionValues?: Record<string, string | null> | null;
  size?: number | null;
  stats?: string | null;
  tags?: Record<string, string> | null;
  deletionVector?: DeletionVectorDescriptor | null;
  baseRowId?: number | null;
  defaultRowCommitVersion?: number | null;
}

/** `cdc`: a change-data file written by a commit (Change Data Feed). */
export interface AddCDCFile {
  path: string;
  partitionValues: Record<string, string | null>;
  size: number;
  dataChange: boolean;
  tags?: Record<string, string> | null;
}

/** `txn`: the latest batch version an application committed (idempotent streaming writes). */
export interface Txn {
  appId: string;
  version: number;
  lastUpdated?: number | null;
}

/** `commitInfo`: free-form provenance; these are the fields Spark and delta-rs write and read. */
export interface CommitInfo {
  timestamp?: number;
  inCommitTimestamp?: number;
  operation?: string;
  operationParameters?: Record<string, string>;
  readVersion?: number;
  isolationLevel?: string;
  isBlindAppend?: boolean;
  operationMetrics?: Record<string, string>;
  engineInfo?: string;
  txnId?: string;
  [field: string]: unknown;
}

/** `domainMetadata`: named configuration owned by a feature or an application. */
export interface DomainMetadata {
  domain: string;
  configuration: string;
  removed: boolean;
}

/** `checkpointMetadata`: exactly one per V2 checkpoint. */
export interface CheckpointMetadata {
  version: number;
  tags?: Record<string, string> | null;
}

/** `sidecar`: a V2 checkpoint's pointer to a file of add/remove actions under `_delta_log/_sidecars/`. */
export interface Sidecar {
  path: string;
  sizeInBytes: number;
  modificationTime: number;
  tags?: Record<string, string> | null;
}

/** One line of a commit or one row of a checkpoint: exactly one of these keys is set. */
export type Action =
  | { protocol: Protocol }
  | { metaData: Metadata }
  | { add: AddFile }
  | { remove: RemoveFile }
  | { cdc: AddCDCFile }
  | { txn: Txn }
  | { commitInfo: CommitInfo }
  | { domainMetadata: DomainMetadata }
  | { checkpointMetadata: CheckpointMetadata }
  | { sidecar: Sidecar };

/** Per-file statistics (the object behind `add.stats`). Values use the JSON stats encoding of PROTOCOL.md. */
export interface FileStats {
  numRecords: number;
  minValues?: Record<string, unknown>;
  maxValues?: Record<string, unknown>;
  nullCount?: Record<string, unknown>;
  /** Absent means true; false when a deletion vector makes the bounds wide. */
  tightBounds?: boolean;
}
