import { totalmem } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** How the limiter reads memory and frees it; replaced in tests. */
export interface MemoryProbe {
  /** Resident set size of this process, in bytes. */
  rssBytes(): number;
  /** Runs a full garbage collection; false when the runtime cannot. */
  collectGarbage(): boolean;
}

let gcFunction: (() => void) | undefined | null;

/**
 * V8's `gc()` without starting node with `--expose-gc`: the flag only decides whether a context
 * gets a `gc` global when the context is created, so setting it now and creating one new context
 * hands back the function (which collects the whole isolate's heap, not just that context's). The
 * main context keeps no `gc` global. Made on first need, so a collector never under pressure never
 * touches V8 flags.
 */
function exposedGc(): (() => void) | undefined {
  if (gcFunction !== undefined) return gcFunction ?? undefined;
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return (gcFunction = existing);
  try {
    setFlagsFromString('--expose-gc');
    const made = runInNewContext('gc') as unknown;
    gcFunction = typeof made === 'function' ? (made as () => void) : null;
  } catch {
    gcFunction = null;
  }
  return gcFunction ?? undefined;
}

/**
 * Resident memory, not V8's heap: a large share of what the collector holds is outside the heap —
 * received request bodies and every span's bytes are Buffers (the lazy records point into them),
 * plus zlib state, sockets and the session store's engine — and RSS is what a container's memory
 * limit and the kernel's OOM killer count. `process.memoryUsage.rss()` is one read of
 * /proc/self/stat, unlike `process.memoryUsage()`, which also walks the heap spaces.
 */
export const processMemoryProbe: MemoryProbe = {
  rssBytes: () => process.memoryUsage.rss(),
  collectGarbage: () => {
    const gc = exposedGc();
    if (!gc) return false;
    gc();
    return true;
  },
};

/**
 * Memory this process may use: the cgroup limit when there is one (a container), else the
 * machine's RAM. What `limit_percentage` is a percentage of.
 */
export function availableMemoryBytes(): number {
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
  const total = totalmem();
  // Without a cgroup limit Node reports 0 or a huge sentinel (2^64 − 1 rounded).
  return constrained !== undefined && constrained > 0 && constrained < total ? constrained : total;
}
