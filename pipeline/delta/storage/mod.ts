/**
 * Object storage for the Delta engine: the {@linkcode ObjectStore} interface and its local-disk, S3/MinIO and
 * in-memory implementations, table URIs, and the put-if-absent probe.
 *
 * @module
 */
export {
  AlreadyExistsError,
  type ByteRange,
  NotFoundError,
  type ObjectMeta,
  type ObjectStore,
} from "./object_store.ts";
export { MemoryStore, type MemoryStoreOptions } from "./memory_store.ts";
export { LocalStore } from "./local_store.ts";
export { CachedStore, FileCache } from "./cached_store.ts";
export {
  createS3Client,
  type S3Settings,
  s3SettingsFromEnv,
  S3Store,
  type S3StoreOptions,
} from "./s3_store.ts";
export { openStore, type OpenStoreOptions, sharedS3Client } from "./open_store.ts";
export { ensurePutIfAbsent, probePutIfAbsent, PutIfAbsentUnsupportedError } from "./put_if_absent_probe.ts";
