/**
 * A count over the last `length` evaluation ticks: one bucket per tick in a ring, so the window
 * slides by exactly one evaluation interval and memory does not grow with traffic.
 */
export class CountWindow {
  readonly #buckets: number[];
  #open = 0;

  constructor(length: number) {
    this.#buckets = new Array<number>(length).fill(0);
  }

  add(count = 1): void {
    this.#buckets[this.#open]! += count;
  }

  /** The window's total, the open bucket included; then a new bucket opens in place of the oldest. */
  roll(): number {
    const total = this.#buckets.reduce((sum, value) => sum + value, 0);
    this.#open = (this.#open + 1) % this.#buckets.length;
    this.#buckets[this.#open] = 0;
    return total;
  }
}

interface SeenSession<K> {
  owner: K;
  seenTick: number;
  /** -Infinity until the session has an exception. */
  errorTick: number;
}

/**
 * Distinct sessions seen, and those with an exception, over the last `length` ticks, per owner (a
 * series). A Map in order of last activity: stale sessions are dropped from its front, and the
 * bound evicts the least recently seen first.
 */
export class SessionWindow<K> {
  readonly #sessions = new Map<string, SeenSession<K>>();

  constructor(
    private readonly length: number,
    private readonly maxSessions: number,
    private readonly onEvicted: () => void,
  ) {}

  get size(): number {
    return this.#sessions.size;
  }

  touch(owner: K, ownerKey: string, sessionId: string, errored: boolean, tick: number): void {
    // One session can be seen under several services (its backend spans are stamped with it).
    const key = `${ownerKey}\u0000${sessionId}`;
    let entry = this.#sessions.get(key);
    if (entry && entry.seenTick !== tick) {
      this.#sessions.delete(key); // re-inserted below, at the recent end
    } else if (!entry) {
      if (this.#sessions.size >= this.maxSessions) {
        const oldest = this.#sessions.keys().next().value;
        if (oldest !== undefined) this.#sessions.delete(oldest);
        this.onEvicted();
      }
      entry = { owner, seenTick: tick, errorTick: -Infinity };
    }
    entry.seenTick = tick;
    if (errored) entry.errorTick = tick;
    this.#sessions.set(key, entry);
  }

  /** Sessions and errored sessions per owner in the window ending at `tick`; forgets older sessions. */
  count(tick: number): Map<K, { sessions: number; errored: number }> {
    const oldest = tick - this.length + 1;
    for (const [key, entry] of this.#sessions) {
      if (entry.seenTick >= oldest) break;
      this.#sessions.delete(key);
    }
    const counts = new Map<K, { sessions: number; errored: number }>();
    for (const entry of this.#sessions.values()) {
      let count = counts.get(entry.owner);
      if (!count) counts.set(entry.owner, (count = { sessions: 0, errored: 0 }));
      count.sessions++;
      if (entry.errorTick >= oldest) count.errored++;
    }
    return counts;
  }
}
