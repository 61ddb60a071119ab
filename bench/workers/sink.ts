// A discarding OTLP/HTTP destination: answers 200 with an empty body to POST /v1/traces after
// reading the body, and counts requests, bytes and spans (by walking protobuf field headers).
// POST /v1/logs and /v1/metrics are accepted and counted as `otherRequests` (SDKs send those too).
import { createServer } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { countSpans } from '../lib/count-spans.js';

export interface SinkStats {
  type: 'stats';
  requests: number;
  bytes: number;
  spans: number;
  gzipRequests: number;
  badRequests: number;
  otherRequests: number;
}

const stats: SinkStats = { type: 'stats', requests: 0, bytes: 0, spans: 0, gzipRequests: 0, badRequests: 0, otherRequests: 0 };

/** When each request finished arriving (monotonic ns) and the span total after it. */
const arrivals: { atNs: bigint; spans: number }[] = [];

/** Spans received up to each instant (monotonic ns, the clock of process.hrtime in every process). */
function spansAt(times: string[]): number[] {
  return times.map((time) => {
    const t = BigInt(time);
    let spans = 0;
    for (const arrival of arrivals) {
      if (arrival.atNs > t) break;
      spans = arrival.spans;
    }
    return spans;
  });
}

const server = createServer((req, res) => {
  if (req.method === 'POST' && (req.url === '/v1/logs' || req.url === '/v1/metrics')) {
    req.resume();
    req.on('end', () => {
      stats.otherRequests++;
      res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': 0 }).end();
    });
    return;
  }
  if (req.method !== 'POST' || req.url !== '/v1/traces') {
    req.resume();
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    stats.requests++;
    stats.bytes += body.length;
    try {
      const gzip = req.headers['content-encoding'] === 'gzip';
      if (gzip) stats.gzipRequests++;
      stats.spans += countSpans(gzip ? gunzipSync(body) : body);
    } catch {
      stats.badRequests++;
    }
    arrivals.push({ atNs: process.hrtime.bigint(), spans: stats.spans });
    res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': 0 }).end();
  });
});
server.keepAliveTimeout = 30_000;

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send!({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
});

process.on('message', (message: { type: string; times?: string[] }) => {
  if (message.type === 'stats') process.send!({ ...stats });
  if (message.type === 'spans-at') process.send!({ type: 'spans-at', spans: spansAt(message.times ?? []) });
  if (message.type === 'reset') {
    Object.assign(stats, { requests: 0, bytes: 0, spans: 0, gzipRequests: 0, badRequests: 0, otherRequests: 0 });
    arrivals.length = 0;
    process.send!({ type: 'reset-done' });
  }
});
process.on('disconnect', () => process.exit(0));
