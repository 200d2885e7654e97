/**
 * Log replay (PROTOCOL.md "Action Reconciliation"), pure: the state of a table after a sequence of action
 * batches (a checkpoint, commits, compaction files), with no IO.
 *
 * @module
 */
import type {
  Action,
  AddFile,
  DeletionVectorDescriptor,
  DomainMetadata,
  Metadata,
  Protocol,
  RemoveFile,
  Txn,
} from "./actions.ts";

/**
 * The reconciled state of a log. Files are keyed by {@linkcode fileKey} (path and deletion vector), so a commit
 * that removes `f` without a DV and adds `f` with one (the DV update pattern) leaves exactly the new entry.
 */
export interface TableState {
  /** Last `protocol` seen, or null before version 0 has been applied. */
  protocol: Protocol | null;
  /** Last `metaData` seen. */
  metadata: Metadata | null;
  /** Live `add` actions: the table's content. */
  files: Map<string, AddFile>;
  /** Live `remove` actions (tombstones, kept for VACUUM and for checkpoints). */
  tombstones: Map<string, RemoveFile>;
  /** Newest `txn` per appId. */
  txns: Map<string, Txn>;
  /** Live (not removed) domain metadata per domain. */
  domains: Map<string, DomainMetadata>;
}

/** An empty state: no protocol, no metadata, no files. */
export function emptyState(): TableState {
  return {
    protocol: null,
    metadata: null,
    files: new Map(),
    tombstones: new Map(),
    txns: new Map(),
    domains: new Map(),
  };
}

/** A copy of `state` that can be changed without touching the original (the actions themselves are shared). */
export function cloneState(state: TableState): TableState {
  return {
    protocol: state.protocol,
    metadata: state.metadata,
    files: new Map(state.files),
    tombstones: new Map(state.tombstones),
    txns: new Map(state.txns),
    domains: new Map(state.domains),
  };
}

/**
 * The unique id of a deletion vector (PROTOCOL.md: `storageType + pathOrInlineDv [+ "@" + offset]`), or null
 * when there is none.
 */
export function dvUniqueId(dv: DeletionVectorDescriptor | null | undefined): string | null {
  if (!dv) return null;
  const base = dv.storageType + dv.pathOrInlineDv;
  return dv.offset === undefined || dv.offset === null ? base : `${base}@${dv.offset}`;
}

/** The key files are reconciled by: the path plus the deletion vector's unique id. */
export function fileKey(path: string, dv: DeletionVectorDescriptor | null | undefined): string {
  const id = dvUniqueId(dv);
  return id === null ? path : `${path}\u0000${id}`;
}

/**
 * Applies one batch of actions (one commit, one checkpoint or one compaction file) to `state`, in place.
 * Within a batch removes are applied before adds; `commitInfo`, `cdc`, `checkpointMetadata`, `sidecar` and
 * unknown actions do not change the state.
 */
export function applyActions(state: TableState, actions: readonly Action[]): void {
  const adds: AddFile[] = [];
  for (const action of actions) {
    if ("add" in action) adds.push(action.add);
    else if ("remove" in action) {
      const remove = action.remove;
      const key = fileKey(remove.path, remove.deletionVector);
      state.files.delete(key);
      state.tombstones.set(key, remove);
    } else if ("protocol" in action) state.protocol = action.protocol;
    else if ("metaData" in action) state.metadata = action.metaData;
    else if ("txn" in action) state.txns.set(action.txn.appId, action.txn);
    else if ("domainMetadata" in action) {
      const dm = action.domainMetadata;
      if (dm.removed) state.domains.delete(dm.domain);
      else state.domains.set(dm.domain, dm);
    }
  }
  for (const add of adds) {
    const key = fileKey(add.path, add.deletionVector);
    state.tombstones.delete(key);
    state.files.set(key, add);
  }
}

/**
 * The actions of a log compaction file, reduced to one per reconciliation key (file key, appId, domain,
 * protocol, metaData) keeping the first occurrence. A reconciled file has no duplicates, so this changes
 * nothing for it; Databricks writes its compaction files as the covered commits concatenated newest first
 * (`compacted-log-files-table`), where the first occurrence is the newest, as in delta-kernel-rs's reverse replay.
 */
export function firstOccurrences(actions: readonly Action[]): Action[] {
  const seen = new Set<string>();
  const out: Action[] = [];
  for (const a of actions) {
    let key: string | null = null;
    if ("add" in a) key = "f:" + fileKey(a.add.path, a.add.deletionVector);
    else if ("remove" in a) key = "f:" + fileKey(a.remove.path, a.remove.deletionVector);
    else if ("txn" in a) key = "t:" + a.txn.appId;
    else if ("domainMetadata" in a) key = "d:" + a.domainMetadata.domain;
    else if ("protocol" in a) key = "protocol";
    else if ("metaData" in a) key = "metaData";
    if (key !== null) {
      if (seen.has(key)) continue;
      seen.add(key);
    }
    out.push(a);
  }
  return out;
}

/** The state after applying `batches` in order to an empty state. */
export function replay(batches: Iterable<readonly Action[]>): TableState {
  const state = emptyState();
  for (const batch of batches) applyActions(state, batch);
  return state;
}

/**
 * Parses the newline-delimited JSON of a commit, compaction file or JSON checkpoint into actions. Blank lines
 * are skipped; lines that are not one JSON object are a SyntaxError naming `source` and the line; objects with
 * no known action key are dropped (PROTOCOL.md: unknown actions are ignored).
 */
export function parseActions(text: string, source: string): Action[] {
  const actions: Action[] = [];
  let line = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    line++;
    const raw = text.slice(start, end).trim();
    start = end + 1;
    if (raw === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      throw new SyntaxError(`Cannot parse line ${line} of "${source}": ${(e as Error).message}`, {
        cause: e,
      });
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new SyntaxError(`Cannot parse line ${line} of "${source}": an action must be a JSON object`);
    }
    const action = toAction(value as Record<string, unknown>);
    if (action) {
      const problem = checkAction(action);
      if (problem) throw new SyntaxError(`Cannot use line ${line} of "${source}": ${problem}`);
      actions.push(action);
    }
  }
  return actions;
}

const KNOWN = [
  "add",
  "remove",
  "metaData",
  "protocol",
  "txn",
  "commitInfo",
  "cdc",
  "domainMetadata",
  "checkpointMetadata",
  "sidecar",
] as const;

/** The action in a parsed line, keeping only the first known key with an object value. */
function toAction(obj: Record<string, unknown>): Action | null {
  for (const k of KNOWN) {
    const v = obj[k];
    if (typeof v === "object" && v !== null) return { [k]: v } as unknown as Action;
  }
  return null;
}

/** What is wrong with the required fields of an action (PROTOCOL.md), or null when they are usable. */
export function checkAction(action: Action): string | null {
  if ("add" in action) {
    const a = action.add;
    if (typeof a.path !== "string" || a.path === "") return "add has no path";
    if (typeof a.size !== "number") return `add "${a.path}" has no size`;
    if (typeof a.partitionValues !== "object" || a.partitionValues === null) {
      return `add "${a.path}" has no partitionValues`;
    }
  } else if ("remove" in action) {
    if (typeof action.remove.path !== "string" || action.remove.path === "") return "remove has no path";
  } else if ("cdc" in action) {
    if (typeof action.cdc.path !== "string" || action.cdc.path === "") return "cdc has no path";
  } else if ("metaData" in action) {
    const m = action.metaData;
    if (typeof m.schemaString !== "string") return "metaData has no schemaString";
    if (!Array.isArray(m.partitionColumns)) return "metaData has no partitionColumns";
  } else if ("protocol" in action) {
    const p = action.protocol;
    if (!Number.isInteger(p.minReaderVersion) || !Number.isInteger(p.minWriterVersion)) {
      return "protocol has no minReaderVersion or minWriterVersion";
    }
  } else if ("txn" in action) {
    if (typeof action.txn.appId !== "string" || typeof action.txn.version !== "number") {
      return "txn has no appId or version";
    }
  } else if ("domainMetadata" in action) {
    if (typeof action.domainMetadata.domain !== "string") return "domainMetadata has no domain";
  }
  return null;
}
