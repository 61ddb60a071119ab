import { backoffDelay, isRetryable, parseRetryAfter } from './backoff.js';
import type { OfflineStore, Signal, StoredBatch } from './offline.js';

export interface SenderOptions {
  /** OTLP/HTTP base URL; `/v1/traces` and `/v1/logs` are appended. */
  endpoint: string;
  headers: Record<string, string>;
  /** A browser ingest key: `x-stitch-key` on fetches, `?stitch_key=` on beacons (which cannot set headers). */
  ingestKey?: string;
  /** gzip with CompressionStream when present (never for keepalive/beacon sends). */
  compression: boolean;
  /** Attempts per batch before it goes to the offline store. */
  maxAttempts: number;
  /** Where unsendable batches go; undefined = nowhere (consent not granted). */
  offline: () => OfflineStore | undefined;
  /** Keepalive fetch budget per page-hide (the browser's limit is 64 KiB in flight). */
  keepaliveBytes?: number;
  fetch?: typeof fetch;
  now?: () => number;
  random?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (id: unknown) => void;
  /** Called for batches dropped for good (non-retryable status), with the HTTP status. */
  onDrop?: (signal: Signal, status: number) => void;
  /**
   * Batches kept in memory waiting for a retry or for a `Retry-After` pause to end; beyond it the
   * oldest move to the offline store (bounded in bytes), so a long pause cannot grow the page's memory.
   */
  maxWaiting?: number;
}

const DEFAULT_MAX_WAITING = 100;

interface Pending extends StoredBatch { attempt: number; due: number; kept?: boolean }

export const urlFor = (endpoint: string, signal: Signal): string => `${endpoint.replace(/\/+$/, '')}/v1/${signal}`;

async function gzip(body: string): Promise<Uint8Array | undefined> {
  if (typeof CompressionStream === 'undefined') return undefined;
  const stream = new Blob([body]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Posts OTLP/JSON bodies. Retries 429/502/503/504 and network errors with exponential backoff and
 * jitter; a `Retry-After` pauses every send until it passes. Batches that cannot be sent (offline,
 * attempts exhausted, too many waiting, page hidden while waiting) go to the offline store and are
 * resent by `drain()`, which a successful send also calls: the collector takes data again.
 */
export class Sender {
  #waiting: Pending[] = [];
  #pausedUntil = 0;
  #timer: unknown;
  /** Being posted now (gzip or fetch pending): kept at page hide when offline, as they will fail. */
  readonly #inFlight = new Set<Pending>();
  readonly #now: () => number;
  constructor(private readonly o: SenderOptions) {
    this.#now = o.now ?? Date.now;
  }

  get pausedUntil(): number {
    return this.#pausedUntil;
  }

  /** Batches waiting for a retry or the end of a pause. */
  get waiting(): number {
    return this.#waiting.length;
  }

  #headers(): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...this.o.headers };
    if (this.o.ingestKey) headers['x-stitch-key'] = this.o.ingestKey;
    return headers;
  }

  send(signal: Signal, body: string): void {
    this.#post({ s: signal, b: body, attempt: 0, due: 0 });
  }

  async #post(item: Pending): Promise<void> {
    if (this.#now() < this.#pausedUntil) return this.#wait(item);
    const doFetch = this.o.fetch ?? globalThis.fetch.bind(globalThis);
    const headers = this.#headers();
    let body: string | Uint8Array = item.b;
    this.#inFlight.add(item);
    try {
      if (this.o.compression && item.b.length > 1024) {
        const zipped = await gzip(item.b).catch(() => undefined);
        if (zipped) {
          body = zipped;
          headers['content-encoding'] = 'gzip';
        }
      }
      const response = await doFetch(urlFor(this.o.endpoint, item.s), { method: 'POST', headers, body: body as BodyInit, credentials: 'omit' });
      if (response.ok) {
        // What retries gave up on during an outage or a burst goes now, not at the next page load.
        if (this.#hasOutbox()) this.drain();
        return;
      }
      if (!isRetryable(response.status)) {
        this.o.onDrop?.(item.s, response.status);
        return;
      }
      const pause = parseRetryAfter(response.headers.get('retry-after'), this.#now());
      if (pause !== undefined) this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + pause);
      this.#retry(item);
    } catch {
      // Network error (offline, CORS, DNS…): keep it for later.
      if (globalThis.navigator?.onLine === false) this.#persist([item]);
      else this.#retry(item);
    } finally {
      this.#inFlight.delete(item);
    }
  }

  #retry(item: Pending): void {
    item.attempt++;
    if (item.attempt >= this.o.maxAttempts) return this.#persist([item]);
    item.due = this.#now() + backoffDelay(item.attempt - 1, 1000, 30000, this.o.random);
    this.#wait(item);
  }

  #wait(item: Pending): void {
    this.#waiting.push(item);
    const max = this.o.maxWaiting ?? DEFAULT_MAX_WAITING;
    if (this.#waiting.length > max) this.#persist(this.#waiting.splice(0, this.#waiting.length - max));
    this.#schedule();
  }

  #hasOutbox(): boolean {
    return (this.o.offline()?.size() ?? 0) > 0;
  }

  #schedule(): void {
    if (this.#timer !== undefined) (this.o.clearTimer ?? clearTimeout)(this.#timer as number);
    this.#timer = undefined;
    if (!this.#waiting.length) return;
    const due = Math.max(this.#pausedUntil, Math.min(...this.#waiting.map((w) => w.due)));
    this.#timer = (this.o.setTimer ?? setTimeout)(() => this.#tick(), Math.max(0, due - this.#now()));
  }

  #tick(): void {
    this.#timer = undefined;
    const now = this.#now();
    if (now < this.#pausedUntil) return this.#schedule();
    const ready = this.#waiting.filter((w) => w.due <= now);
    this.#waiting = this.#waiting.filter((w) => w.due > now);
    for (const item of ready) void this.#post(item);
    this.#schedule();
  }

  #persist(items: Pending[]): void {
    const keep = items.filter((i) => !i.kept);
    for (const i of keep) i.kept = true;
    this.o.offline()?.add(keep.map(({ s, b }) => ({ s, b })));
  }

  /**
   * Page is going away: send `bodies` with keepalive fetch (sendBeacon when fetch keepalive is
   * refused and no custom headers are needed) within the 64 KiB budget; what does not fit, and every
   * batch still waiting for a retry, goes to the offline store.
   */
  unload(bodies: StoredBatch[]): void {
    let budget = this.o.keepaliveBytes ?? 60000;
    const leftover: Pending[] = this.#waiting.splice(0);
    this.#schedule();
    // Offline or paused by Retry-After: keep everything for the next load instead of a doomed keepalive.
    const offline = globalThis.navigator?.onLine === false;
    const paused = offline || this.#now() < this.#pausedUntil;
    if (offline) leftover.push(...this.#inFlight);
    for (const item of bodies) {
      const size = new Blob([item.b]).size;
      if (paused || size > budget) {
        leftover.push({ ...item, attempt: 0, due: 0 });
        continue;
      }
      budget -= size;
      const url = urlFor(this.o.endpoint, item.s);
      const beacon = (): boolean => {
        try {
          const beaconUrl = this.o.ingestKey ? `${url}?stitch_key=${encodeURIComponent(this.o.ingestKey)}` : url;
          return !Object.keys(this.o.headers).length && !!globalThis.navigator?.sendBeacon?.(beaconUrl, new Blob([item.b], { type: 'application/json' }));
        } catch {
          return false;
        }
      };
      try {
        const doFetch = this.o.fetch ?? globalThis.fetch.bind(globalThis);
        void doFetch(url, {
          method: 'POST', keepalive: true, credentials: 'omit',
          headers: this.#headers(), body: item.b,
        }).catch(beacon);
      } catch {
        if (!beacon()) leftover.push({ ...item, attempt: 0, due: 0 });
      }
    }
    this.#persist(leftover);
  }

  /** Resends what the offline store holds (next page load, `online` event, page visible again). */
  drain(): void {
    const store = this.o.offline();
    if (!store || (globalThis.navigator?.onLine === false)) return;
    // A hidden page may be unloading: its ordinary fetches would die after take() emptied the store.
    if (globalThis.document?.visibilityState === 'hidden') return;
    for (const item of store.take()) this.send(item.s, item.b);
  }

  /** Forgets everything waiting (consent denied, shutdown). */
  clear(): void {
    this.#waiting = [];
    this.#schedule();
  }
}
