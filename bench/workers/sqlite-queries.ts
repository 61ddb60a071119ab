// Worker thread of the `store` benchmark's SQLite run: answers queries on its own read connection,
// the way the collector would keep SQLite's synchronous queries off the thread that ingests, and
// checkpoints the WAL periodically on a second connection (the writer does not checkpoint).
import { parentPort, workerData } from 'node:worker_threads';
import { runQueryLoop, runQueryMix } from '../lib/session-queries.js';
import { SqliteSessionStore } from '../lib/store-sqlite.js';

export type QueryWorkerRequest =
  | { type: 'mix'; nowMs: number; rounds: number; warmupRounds: number }
  | { type: 'loop'; nowMs: number }
  | { type: 'stop' }
  | { type: 'close' };

export interface CheckpointStats {
  count: number;
  totalMs: number;
  maxMs: number;
  /** The largest WAL seen, in pages. */
  maxWalPages: number;
}


const port = parentPort;
if (!port) throw new Error('sqlite-queries runs as a worker thread');
const { file, checkpointEveryMs } = workerData as { file: string; checkpointEveryMs: number };
const reader = new SqliteSessionStore(file, { readonly: true });
const checkpointer = new SqliteSessionStore(file, { cacheMiB: 16 });
const checkpoints: CheckpointStats = { count: 0, totalMs: 0, maxMs: 0, maxWalPages: 0 };
let stopLoop = false;

// A timer in this thread's event loop: it runs between two queries (they yield after each).
const checkpointTimer = setInterval(() => {
  const started = performance.now();
  const walPages = checkpointer.checkpointPassive();
  const ms = performance.now() - started;
  checkpoints.count++;
  checkpoints.totalMs += ms;
  checkpoints.maxMs = Math.max(checkpoints.maxMs, ms);
  checkpoints.maxWalPages = Math.max(checkpoints.maxWalPages, walPages);
}, checkpointEveryMs);

port.on('message', (request: QueryWorkerRequest) => {
  void handle(request).catch((error: unknown) => port.postMessage({ type: 'error', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
});

async function handle(request: QueryWorkerRequest): Promise<void> {
  switch (request.type) {
    case 'mix':
      port!.postMessage({ type: 'mix-result', result: await runQueryMix(reader, request.nowMs, request) });
      break;
    case 'loop':
      stopLoop = false;
      port!.postMessage({ type: 'loop-result', samples: await runQueryLoop(reader, request.nowMs, () => stopLoop) });
      break;
    case 'stop':
      stopLoop = true;
      break;
    case 'close':
      clearInterval(checkpointTimer);
      await reader.close();
      await checkpointer.close();
      port!.postMessage({ type: 'closed', checkpoints });
      port!.close();
      break;
  }
}
