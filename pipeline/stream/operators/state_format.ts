/**
 * How operator state is written and read: every operator's state starts with a header (format kind and
 * version, then the operator's name), so it is never restored into the wrong operator or by code that reads
 * another format; `OperatorSet` writes several operators' states into one writer without copying them.
 *
 * @module
 */
import { ByteReader, ByteWriter } from "./byte_buffer.ts";
import { type CheckedOperator, READ_STATE, WRITE_STATE } from "./operator.ts";

/** Writes the header for `kind` (e.g. `"mirror/1"`) and the operator `name`. */
export function writeHeader(w: ByteWriter, kind: string, name: string): ByteWriter {
  return w.string(kind).string(name);
}

/** Reads a header; a RangeError when the state is of another kind or operator. */
export function readHeader(r: ByteReader, kind: string, name: string): void {
  const gotKind = r.string();
  const gotName = r.string();
  if (gotKind !== kind || gotName !== name) {
    throw new RangeError(
      `Cannot restore state of operator "${name}" (${kind}): the snapshot is of "${gotName}" (${gotKind})`,
    );
  }
}

/** An operator's state as bytes (its `snapshotState()`). */
export function snapshotOf(op: CheckedOperator): Uint8Array {
  const w = new ByteWriter();
  op[WRITE_STATE](w);
  return w.finish();
}

/** Replaces an operator's state with the bytes of `snapshotOf` (its `restore()`). */
export function restoreFrom(op: CheckedOperator, bytes: Uint8Array): void {
  const r = new ByteReader(bytes, `state of operator "${op.name}"`);
  op[READ_STATE](r);
  r.end();
}
