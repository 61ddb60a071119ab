export type FetchEntry = Pick<PerformanceResourceTiming, 'name' | 'initiatorType' | 'startTime' | 'responseEnd' | 'encodedBodySize'>;

interface Waiting {
  url: string;
  /** performance.now() just before the request was started. */
  start: number;
  done(entry?: FetchEntry): void;
  timer?: ReturnType<typeof setTimeout>;
}

export interface ResourceTimingWaiter {
  /** Calls `done` with the request's resource timing entry once the body has arrived, or without one after the timeout. */
  wait(url: string, start: number, done: (entry?: FetchEntry) => void): void;
  /** Gives up on every waiting request now (page hidden: their spans must end before the flush). */
  flush(): void;
  stop(): void;
}

/**
 * The waiting request an entry belongs to: same URL, and the latest one started before the entry
 * (so concurrent requests to one URL each get their own entry).
 */
export function matchEntry(waiting: readonly Pick<Waiting, 'url' | 'start'>[], entry: FetchEntry): number {
  let best = -1;
  waiting.forEach((w, i) => {
    if (w.url === entry.name && w.start <= entry.startTime + 1 && (best < 0 || w.start > waiting[best]!.start)) best = i;
  });
  return best;
}

const RECENT = 20;

/**
 * Resource timing for fetch: the entry appears when the response body has fully arrived, which
 * gives the real end time and the encoded body size without reading the body.
 * `observe` subscribes to resource entries (a PerformanceObserver in browsers, a fake in tests).
 */
export function resourceTimingWaiter(
  observe: (onEntries: (entries: FetchEntry[]) => void) => () => void,
  timeoutMs: number,
): ResourceTimingWaiter {
  const waiting: Waiting[] = [];
  const recent: FetchEntry[] = []; // entries that arrived before anyone waited for them
  const finish = (i: number, entry?: FetchEntry) => {
    const [w] = waiting.splice(i, 1);
    if (!w) return;
    clearTimeout(w.timer);
    w.done(entry);
  };
  const unobserve = observe((entries) => {
    for (const e of entries) {
      if (e.initiatorType !== 'fetch') continue;
      const i = matchEntry(waiting, e);
      if (i >= 0) finish(i, e);
      else if (recent.push(e) > RECENT) recent.shift();
    }
  });
  const flush = () => {
    while (waiting.length) finish(0);
  };
  return {
    flush,
    wait(url, start, done) {
      const r = recent.findIndex((e) => e.name === url && e.startTime + 1 >= start);
      if (r >= 0) return done(recent.splice(r, 1)[0]);
      const w: Waiting = { url, start, done };
      w.timer = setTimeout(() => finish(waiting.indexOf(w)), timeoutMs);
      waiting.push(w);
    },
    stop() {
      flush();
      unobserve();
    },
  };
}

/** A PerformanceObserver subscription to resource entries, or undefined where there is none. */
export function observeResources(): ((onEntries: (entries: FetchEntry[]) => void) => () => void) | undefined {
  if (typeof PerformanceObserver === 'undefined' || !PerformanceObserver.supportedEntryTypes?.includes('resource')) return undefined;
  return (onEntries) => {
    const observer = new PerformanceObserver((list) => onEntries(list.getEntries() as PerformanceResourceTiming[]));
    observer.observe({ type: 'resource' });
    return () => observer.disconnect();
  };
}
