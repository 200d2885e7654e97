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
export { deleteS3Prefix, S3Store, type S3StoreOptions } from "./s3_store.ts";
export { S3Http, type S3HttpOptions, S3RequestError, type S3Settings, s3SettingsFromEnv } from "./s3_http.ts";
export { openStore, type OpenStoreOptions, sharedS3Client } from "./open_store.ts";
export { ensurePutIfAbsent, probePutIfAbsent, PutIfAbsentUnsupportedError } from "./put_if_absent_probe.ts";
