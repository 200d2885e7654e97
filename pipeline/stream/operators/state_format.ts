/**
 * The header every operator state snapshot starts with: format kind and version, then the operator's name, so a
 * snapshot is never restored into the wrong operator or by code that reads another format.
 *
 * @module
 */
import { ByteReader, ByteWriter } from "./byte_buffer.ts";

/** A writer that has the header for `kind` (e.g. `"mirror/1"`) and the operator `name` written. */
export function beginState(kind: string, name: string): ByteWriter {
  return new ByteWriter().string(kind).string(name);
}

/** A reader past the header; throws a RangeError when the snapshot is of another kind or operator. */
export function openState(bytes: Uint8Array, kind: string, name: string): ByteReader {
  const r = new ByteReader(bytes, `state of operator "${name}"`);
  const gotKind = r.string();
  const gotName = r.string();
  if (gotKind !== kind || gotName !== name) {
    throw new RangeError(
      `Cannot restore state of operator "${name}" (${kind}): the snapshot is of "${gotName}" (${gotKind})`,
    );
  }
  return r;
}
