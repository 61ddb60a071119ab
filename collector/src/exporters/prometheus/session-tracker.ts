// Follows sessions through the telemetry stream without a session id ever reaching a label: a
// bounded LRU of the sessions seen recently, from which starts, ends and the active count derive.

export const SESSION_LABELS = ['service_name', 'deployment_environment', 'service_version', 'browser_name', 'device_type', 'country'] as const;
export type SessionLabel = (typeof SESSION_LABELS)[number];
export type SessionLabels = Record<SessionLabel, string>;

export interface TrackedSession {
  /** Described by the first browser record seen: a session keeps its labels to the end. */
  readonly labels: SessionLabels;
  /** Record times (ms), not arrival times: a browser's batched, late posts still measure the session right. */
  firstMs: number;
  lastMs: number;
  pageViews: number;
  actions: number;
  errors: number;
  /** The route of the last page view: where vitals without a URL of their own belong. */
  route: string | undefined;
  /** Ended sessions stay as tombstones for a while so late records do not start them again. */
  ended: boolean;
}

/** Told when a session starts and ends; turns that into metrics. */
export interface SessionSink {
  started(session: TrackedSession): void;
  ended(session: TrackedSession): void;
}

export interface SessionTrackerOptions {
  maxTracked: number;
  activeWindowMs: number;
  inactivityMs: number;
}

export class SessionTracker {
  readonly #options: SessionTrackerOptions;
  readonly #sink: SessionSink;
  /** In order of last touch: the first entry is the one to evict. */
  readonly #sessions = new Map<string, TrackedSession>();

  constructor(options: SessionTrackerOptions, sink: SessionSink) {
    this.#options = options;
    this.#sink = sink;
  }

  get size(): number {
    return this.#sessions.size;
  }

  /**
   * Records activity of `sessionId` at `timeMs`; starts the session on first sight. Returns the
   * live session, or undefined when it has already ended (its late records change nothing).
   */
  touch(sessionId: string, labels: () => SessionLabels, timeMs: number): TrackedSession | undefined {
    const existing = this.#sessions.get(sessionId);
    if (existing) {
      if (existing.ended) return undefined;
      existing.firstMs = Math.min(existing.firstMs, timeMs);
      existing.lastMs = Math.max(existing.lastMs, timeMs);
      this.#sessions.delete(sessionId);
      this.#sessions.set(sessionId, existing);
      return existing;
    }
    const session: TrackedSession = { labels: labels(), firstMs: timeMs, lastMs: timeMs, pageViews: 0, actions: 0, errors: 0, route: undefined, ended: false };
    this.#sessions.set(sessionId, session);
    this.#sink.started(session);
    if (this.#sessions.size > this.#options.maxTracked) this.#evictOldest();
    return session;
  }

  /** A `session.end` event: the session is observed now and kept as a tombstone. */
  end(sessionId: string): void {
    const session = this.#sessions.get(sessionId);
    if (session && !session.ended) this.#finish(session);
  }

  /**
   * Ends sessions idle past the inactivity timeout, forgets tombstones as old, and returns how many
   * live sessions had activity within the active window, per label set.
   */
  sweep(nowMs: number): Map<string, { labels: SessionLabels; count: number }> {
    const active = new Map<string, { labels: SessionLabels; count: number }>();
    for (const [id, session] of this.#sessions) {
      const idleMs = nowMs - session.lastMs;
      if (idleMs > this.#options.inactivityMs) {
        if (!session.ended) this.#finish(session);
        this.#sessions.delete(id);
        continue;
      }
      if (session.ended || idleMs > this.#options.activeWindowMs) continue;
      const key = SESSION_LABELS.map((l) => session.labels[l]).join('\u0000');
      const entry = active.get(key);
      if (entry) entry.count++;
      else active.set(key, { labels: session.labels, count: 1 });
    }
    return active;
  }

  /** A session pushed out of the LRU ends where it is: better observed early than never. */
  #evictOldest(): void {
    const [id, session] = this.#sessions.entries().next().value as [string, TrackedSession];
    this.#sessions.delete(id);
    if (!session.ended) this.#finish(session);
  }

  #finish(session: TrackedSession): void {
    session.ended = true;
    this.#sink.ended(session);
  }
}
