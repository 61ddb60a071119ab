import type { Extension } from './interfaces.js';

/**
 * An extension that keeps data on disk for other components (the `file_storage` extension).
 * A component names it in its config (`storage: file_storage`) and finds it with
 * `host.getExtension(id)` at start.
 */
export interface StorageExtension extends Extension {
  /** Storage scoped to one component: nothing it writes is visible to another component id. */
  clientFor(componentKind: 'receiver' | 'processor' | 'exporter', componentId: string): StorageClient;
}

export function isStorageExtension(value: unknown): value is StorageExtension {
  return typeof (value as StorageExtension | undefined)?.clientFor === 'function';
}

export interface StorageClient {
  /** Opens (creating when absent) the record log `name` of this component, recovering what the last run left. */
  openLog(name: string, options?: RecordLogOptions): Promise<RecordLog>;
}

export interface RecordLogOptions {
  /** Refuse appends once the log's files would pass this many bytes (0: the extension's default). */
  maxBytes?: number;
}

/** Where a record lives; opaque to its owner. */
export interface RecordRef {
  readonly segment: number;
  /** Byte offset of the record in its segment file. */
  readonly offset: number;
  /** Payload bytes. */
  readonly size: number;
}

/**
 * An append-only log of records, each written with its length and a checksum. A record stays
 * until its owner releases it (it was delivered); records not released survive a crash or a
 * restart and come back in `recovered` on the next open, in append order.
 */
export interface RecordLog {
  /** Records the last run left unreleased, oldest first; corrupt or torn ones are skipped and counted. */
  readonly recovered: readonly RecordRef[];
  /** Bytes the log's files hold now. */
  readonly bytes: number;
  /** Writes one record; resolves once it is written (and fsynced when the extension says so). Throws `LogFullError` past `maxBytes`. */
  append(payload: Uint8Array): Promise<RecordRef>;
  /** Reads a record back (corruption since it was written throws). */
  read(ref: RecordRef): Promise<Uint8Array>;
  /** The record was delivered: it will not be recovered again, and its file goes once all its records are released. */
  release(ref: RecordRef): void;
  /** Flushes what is pending and closes the files; unreleased records stay for the next open. */
  close(): Promise<void>;
}

/** The log would grow past its byte bound. */
export class LogFullError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogFullError';
  }
}
