import {
  decodeProtobufRequest,
  encodeProtobufRequest,
  isStorageExtension,
  type Host,
  type ItemContext,
  type LogRecordView,
  type RecordLog,
  type RecordRef,
  type SpanRecord,
} from '@stitch/collector-api';
import { batchOf } from './held-traces.js';

type Item = SpanRecord | LogRecordView;
type StitchSignal = 'traces' | 'logs';

/** Journals open per storage extension: two pipelines sharing a processor id each get their own. */
const openJournals = new WeakMap<object, Set<string>>();

/**
 * The held records of `session_stitch`, also written to a storage extension before the client
 * is acknowledged: a crash while records wait for their session loses nothing, they come back at
 * the next start. A journal record (one per consume call's held records) is released once every
 * record in it has been taken downstream.
 */
export class HeldJournal {
  readonly #log: RecordLog;
  readonly #names: Set<string>;
  readonly #name: string;
  /** Each journaled item's record, resolved once it is on disk (undefined if the write failed). */
  readonly #refOf = new WeakMap<Item, Promise<RecordRef | undefined>>();
  /** Items of each record not yet delivered. */
  readonly #live = new Map<RecordRef, number>();

  private constructor(log: RecordLog, names: Set<string>, name: string) {
    this.#log = log;
    this.#names = names;
    this.#name = name;
  }

  static async open(host: Host, storageId: string, processorId: string, signal: StitchSignal): Promise<HeldJournal> {
    const key = `processors.${processorId}.storage`;
    const extension = host.getExtension(storageId);
    if (!extension) throw new Error(`${key}: extension "${storageId}" is not running (define it under extensions and list it in service.extensions)`);
    if (!isStorageExtension(extension)) throw new Error(`${key}: extension "${storageId}" does not store data (use a file_storage extension)`);
    const names = openJournals.get(extension) ?? new Set<string>();
    openJournals.set(extension, names);
    let name = `held_${signal}`;
    for (let n = 2; names.has(`${processorId}/${name}`); n++) name = `held_${signal}_${n}`;
    names.add(`${processorId}/${name}`);
    const log = await extension.clientFor('processor', processorId).openLog(name);
    return new HeldJournal(log, names, `${processorId}/${name}`);
  }

  /** Records the last run held and never delivered, each mapped to its journal record. */
  async recovered(signal: StitchSignal): Promise<ItemContext<Item>[]> {
    const out: ItemContext<Item>[] = [];
    for (const ref of this.#log.recovered) {
      let entries: ItemContext<Item>[];
      try {
        entries = [...decodeProtobufRequest(signal, await this.#log.read(ref)).entries()] as ItemContext<Item>[];
      } catch {
        this.#log.release(ref); // damaged since it was written: the storage extension counted it
        continue;
      }
      this.#track(Promise.resolve(ref), entries);
      out.push(...entries);
    }
    return out;
  }

  /** Writes held records; resolves once they are on disk. */
  async record(signal: StitchSignal, entries: ItemContext<Item>[]): Promise<void> {
    const written = this.#log.append(encodeProtobufRequest(batchOf(signal, entries)));
    this.#track(written.catch(() => undefined), entries);
    await written;
  }

  /** These items were taken downstream: their journal records go once all their items have. */
  delivered(items: Iterable<Item>): void {
    for (const item of items) {
      const ref = this.#refOf.get(item);
      if (!ref) continue;
      this.#refOf.delete(item);
      void ref.then((resolved) => {
        if (!resolved) return;
        const left = (this.#live.get(resolved) ?? 1) - 1;
        if (left > 0) {
          this.#live.set(resolved, left);
          return;
        }
        this.#live.delete(resolved);
        this.#log.release(resolved);
      });
    }
  }

  async close(): Promise<void> {
    // Let the releases of the last deliveries run first.
    await new Promise((resolve) => setImmediate(resolve));
    await this.#log.close();
    this.#names.delete(this.#name);
  }

  #track(ref: Promise<RecordRef | undefined>, entries: ItemContext<Item>[]): void {
    void ref.then((resolved) => {
      if (resolved) this.#live.set(resolved, (this.#live.get(resolved) ?? 0) + entries.length);
    });
    for (const { item } of entries) this.#refOf.set(item, ref);
  }
}
