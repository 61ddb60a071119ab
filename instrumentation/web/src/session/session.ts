import type { KeyValueStore } from './storage.js';
import { isSampled } from './sampling.js';

export interface SessionRecord {
  id: string;
  /** Start, and last activity seen by any tab, in ms since epoch. */
  start: number;
  last: number;
  sampled: boolean;
  previousId?: string;
}

export interface SessionOptions {
  store: KeyValueStore;
  now: () => number;
  newId: () => string;
  inactivityMs: number;
  maxDurationMs: number;
  sampleRatePercent: number;
  /** Writes to the store only while this is true (consent granted); otherwise the session is memory-only. */
  persist: () => boolean;
  onStart?(session: SessionRecord): void;
  onEnd?(session: SessionRecord, reason: 'inactivity' | 'max_duration'): void;
  /** Minimum interval between store writes for plain activity (default 1 s). */
  writeThrottleMs?: number;
}

export const SESSION_KEY = 'stitch.session';

function parse(raw: string | null): SessionRecord | undefined {
  if (!raw) return undefined;
  try {
    const r = JSON.parse(raw) as SessionRecord;
    return typeof r.id === 'string' && typeof r.start === 'number' && typeof r.last === 'number' ? r : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One session per origin, shared by tabs through the store. A session ends after `inactivityMs`
 * without activity or `maxDurationMs` after it started; the next read or activity starts a new one
 * that records `previousId`. Only activity extends a session.
 */
export class SessionManager {
  #current: SessionRecord | undefined;
  #lastWrite = 0;
  constructor(private readonly o: SessionOptions) {}

  #expired(s: SessionRecord, now: number): 'inactivity' | 'max_duration' | undefined {
    if (now - s.start >= this.o.maxDurationMs) return 'max_duration';
    if (now - s.last >= this.o.inactivityMs) return 'inactivity';
    return undefined;
  }

  #write(s: SessionRecord, force: boolean): void {
    const now = this.o.now();
    if (!this.o.persist() || (!force && now - this.#lastWrite < (this.o.writeThrottleMs ?? 1000))) return;
    this.#lastWrite = now;
    this.o.store.set(SESSION_KEY, JSON.stringify(s));
  }

  /** The live session (starting one if none or expired). `activity` extends it. */
  #resolve(activity: boolean): SessionRecord {
    const now = this.o.now();
    const stored = parse(this.o.store.get(SESSION_KEY));
    let cur = this.#current;
    if (stored) {
      if (!cur) cur = stored; // a reload or a new tab: continue the origin's session (ended below if stale)
      else if (stored.id === cur.id) cur.last = Math.max(cur.last, stored.last); // another tab's activity
      else if (!this.#expired(stored, now) && stored.start >= cur.start) cur = stored; // another tab rolled over
    }
    let previousId: string | undefined;
    if (cur) {
      const reason = this.#expired(cur, now);
      if (reason) {
        this.o.onEnd?.(cur, reason);
        previousId = cur.id;
        cur = undefined;
      }
    }
    if (!cur) {
      const id = this.o.newId();
      cur = this.#current = { id, start: now, last: now, sampled: isSampled(id, this.o.sampleRatePercent), ...(previousId ? { previousId } : {}) };
      this.#write(cur, true);
      this.o.onStart?.(cur);
      return cur;
    }
    this.#current = cur;
    if (activity) {
      cur.last = now;
      this.#write(cur, false);
    }
    return cur;
  }

  /** The current session without extending it. */
  current(): SessionRecord {
    return this.#current && !this.#expired(this.#current, this.o.now()) && this.#fresh() ? this.#current : this.#resolve(false);
  }

  /** Cheap check that no other tab replaced the session: read only once per throttle window. */
  #checkedAt = 0;
  #fresh(): boolean {
    const now = this.o.now();
    if (now - this.#checkedAt < (this.o.writeThrottleMs ?? 1000)) return true;
    this.#checkedAt = now;
    const stored = parse(this.o.store.get(SESSION_KEY));
    return !stored || stored.id === this.#current?.id;
  }

  /** Records activity: extends the session, or starts a new one when it has ended. */
  touch(): SessionRecord {
    return this.#resolve(true);
  }

  /** Writes the latest state now (page hide, consent granted). */
  persistNow(): void {
    if (this.#current) this.#write(this.#current, true);
  }

  /** Forgets the stored session (consent denied). */
  clear(): void {
    this.o.store.remove(SESSION_KEY);
  }
}
