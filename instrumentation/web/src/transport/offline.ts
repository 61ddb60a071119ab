import type { KeyValueStore } from '../session/storage.js';

export type Signal = 'traces' | 'logs';
export interface StoredBatch { s: Signal; b: string }

export const OUTBOX_KEY = 'stitch.outbox';
export const DROPPED_KEY = 'stitch.outbox.dropped';

/**
 * Unsent OTLP bodies kept across page loads, bounded by `maxBytes` (UTF-16 length as the measure):
 * the oldest are dropped first and counted under DROPPED_KEY.
 */
export class OfflineStore {
  constructor(private readonly store: KeyValueStore, private readonly maxBytes: number) {}

  #read(): StoredBatch[] {
    try {
      const v = JSON.parse(this.store.get(OUTBOX_KEY) ?? '[]') as unknown;
      return Array.isArray(v) ? (v as StoredBatch[]) : [];
    } catch {
      return [];
    }
  }

  add(batches: StoredBatch[]): void {
    if (!batches.length) return;
    const all = [...this.#read(), ...batches];
    let size = all.reduce((n, x) => n + x.b.length, 0);
    let dropped = 0;
    while (all.length && size > this.maxBytes) {
      size -= all.shift()!.b.length;
      dropped++;
    }
    if (dropped) this.store.set(DROPPED_KEY, String(this.dropped() + dropped));
    if (all.length) this.store.set(OUTBOX_KEY, JSON.stringify(all));
    else this.store.remove(OUTBOX_KEY);
  }

  /** Batches stored now. */
  size(): number {
    return this.store.get(OUTBOX_KEY) === null ? 0 : this.#read().length;
  }

  /** Removes and returns everything stored. */
  take(): StoredBatch[] {
    const all = this.#read();
    if (all.length) this.store.remove(OUTBOX_KEY);
    return all;
  }

  /** Batches dropped for space since the last `takeDropped()`. */
  dropped(): number {
    return Number(this.store.get(DROPPED_KEY)) || 0;
  }

  takeDropped(): number {
    const n = this.dropped();
    if (n) this.store.remove(DROPPED_KEY);
    return n;
  }

  clear(): void {
    this.store.remove(OUTBOX_KEY);
    this.store.remove(DROPPED_KEY);
  }
}
