/** What is known of a trace: the session it belongs to, or that it started outside any browser. */
export type TraceVerdict = { sessionId: string } | { sessionId: null };

interface Entry {
  sessionId: string | null;
  expiresAt: number;
}

export type LearnListener = (traceId: string, sessionId: string | null) => void;

/**
 * trace id → session id, bounded by entry count (least recently used go first) and by a TTL
 * refreshed on use. A `null` session marks a trace rooted in a backend: nothing will name its
 * session, so its spans need not wait. Shared by the traces and logs instances of one
 * `session_stitch` processor: a browser span teaches the logs pipeline too.
 */
export class TraceSessionIndex {
  readonly #entries = new Map<string, Entry>();
  readonly #listeners = new Set<LearnListener>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  lookup(traceId: string): TraceVerdict | undefined {
    const entry = this.#entries.get(traceId);
    if (!entry) return undefined;
    const now = this.now();
    if (entry.expiresAt <= now) {
      this.#entries.delete(traceId);
      return undefined;
    }
    this.#touch(traceId, entry, now);
    return { sessionId: entry.sessionId };
  }

  /** Records the trace's session; a known session is never replaced by `null`. */
  learn(traceId: string, sessionId: string | null): void {
    const existing = this.#entries.get(traceId);
    if (existing && existing.sessionId === sessionId) {
      this.#touch(traceId, existing, this.now());
      return;
    }
    if (existing && sessionId === null && existing.sessionId !== null) return;
    this.#touch(traceId, { sessionId, expiresAt: 0 }, this.now());
    while (this.#entries.size > this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    for (const listener of this.#listeners) listener(traceId, sessionId);
  }

  onLearn(listener: LearnListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Drops expired entries (the oldest-used come first, so the scan stops at the first live one). */
  sweep(): void {
    const now = this.now();
    for (const [traceId, entry] of this.#entries) {
      if (entry.expiresAt > now) break;
      this.#entries.delete(traceId);
    }
  }

  #touch(traceId: string, entry: Entry, now: number): void {
    entry.expiresAt = now + this.ttlMs;
    this.#entries.delete(traceId); // re-insert: Map order is the recency order
    this.#entries.set(traceId, entry);
  }
}

/** One index per `session_stitch` component id, shared by its per-pipeline instances. */
const shared = new Map<string, { index: TraceSessionIndex; users: number }>();

export function acquireIndex(id: string, create: () => TraceSessionIndex): TraceSessionIndex {
  let slot = shared.get(id);
  if (!slot) shared.set(id, (slot = { index: create(), users: 0 }));
  slot.users++;
  return slot.index;
}

export function releaseIndex(id: string): void {
  const slot = shared.get(id);
  if (slot && --slot.users <= 0) shared.delete(id);
}
