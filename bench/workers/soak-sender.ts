// Soak load: OTLP/protobuf trace requests at a steady span rate for a long time, each with trace ids
// never sent before (the payloads' trace ids get a request counter written into their first four
// bytes), so per-trace state in the collector sees new traces as in production, not the same few
// replayed. Reports counts and latencies on request; honours 429/503 Retry-After like an SDK.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { decodeProtobufRequest, type SpanRecord } from '@stitch/collector-api';

export interface SoakRun {
  type: 'run';
  url: string;
  payloadFiles: string[];
  spansPerPayload: number;
  spansPerSecond: number;
  durationMs: number;
  /** Requests in flight at most; a tick that finds them all busy is counted as missed. */
  maxInFlight: number;
}

export interface SoakCounters {
  type: 'counters';
  sentRequests: number;
  okSpans: number;
  /** Non-200 answers by status or error code. */
  failures: Record<string, number>;
  missedTicks: number;
  /** Request latencies (ms) since the previous report. */
  latencyMs: { p50: number; p99: number; max: number; count: number };
}

interface Template {
  bytes: Buffer;
  traceIdOffsets: number[];
}

/** Where each distinct trace id sits in the payload (the decoder's records are views of it). */
function template(file: string): Template {
  const bytes = readFileSync(file);
  const batch = decodeProtobufRequest('traces', bytes);
  const offsets: number[] = [];
  for (const span of batch.items() as SpanRecord[]) {
    const id = span.traceIdBytes;
    const offset = id.byteOffset - bytes.byteOffset;
    if (id.buffer !== bytes.buffer || !Buffer.from(id).equals(bytes.subarray(offset, offset + 16))) {
      throw new Error(`${file}: a span's trace id is not a view into the payload; cannot patch it in place`);
    }
    offsets.push(offset);
  }
  return { bytes, traceIdOffsets: offsets };
}

let sentRequests = 0;
let okSpans = 0;
let missedTicks = 0;
const failures: Record<string, number> = {};
let latencies: number[] = [];

function post(agent: http.Agent, url: URL, body: Buffer): Promise<{ status: string; retryAfter?: number }> {
  return new Promise((resolve) => {
    const req = http.request(
      { agent, method: 'POST', host: url.hostname, port: url.port, path: url.pathname, headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length } },
      (res) => {
        res.resume();
        const header = res.headers['retry-after'];
        res.on('end', () => resolve({ status: String(res.statusCode), retryAfter: header && /^\d+$/.test(header) ? Number(header) : undefined }));
        res.on('error', (error: NodeJS.ErrnoException) => resolve({ status: error.code ?? 'response-error' }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ status: error.code ?? 'request-error' }));
    req.end(body);
  });
}

async function run(config: SoakRun): Promise<void> {
  const templates = config.payloadFiles.map(template);
  const url = new URL(config.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: config.maxInFlight });
  const intervalMs = (config.spansPerPayload / config.spansPerSecond) * 1000;
  let inFlight = 0;
  let pausedUntil = 0;
  let sequence = 0;
  const started = performance.now();

  const sendOne = async (): Promise<void> => {
    const { bytes, traceIdOffsets } = templates[sequence % templates.length]!;
    const body = Buffer.from(bytes);
    for (const offset of traceIdOffsets) body.writeUInt32BE(sequence >>> 0, offset);
    sequence++;
    inFlight++;
    sentRequests++;
    for (;;) {
      const t0 = performance.now();
      const { status, retryAfter } = await post(agent, url, body);
      latencies.push(performance.now() - t0);
      if (status === '200') break;
      failures[status] = (failures[status] ?? 0) + 1;
      if (status !== '429' && status !== '503' && !/^E/.test(status)) break;
      const waitMs = (retryAfter ?? 1) * 1000;
      pausedUntil = Math.max(pausedUntil, Date.now() + waitMs);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
    okSpans += config.spansPerPayload;
    inFlight--;
  };

  const pending = new Set<Promise<void>>();
  for (let tick = 0; ; tick++) {
    const due = started + tick * intervalMs;
    if (due - started >= config.durationMs) break;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (inFlight >= config.maxInFlight || Date.now() < pausedUntil) {
      missedTicks++;
      continue;
    }
    const sending = sendOne();
    pending.add(sending);
    void sending.finally(() => pending.delete(sending));
  }
  await Promise.all(pending);
  agent.destroy();
}

function counters(): SoakCounters {
  const sorted = latencies.sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  const report: SoakCounters = {
    type: 'counters',
    sentRequests,
    okSpans,
    failures: { ...failures },
    missedTicks,
    latencyMs: { p50: at(50), p99: at(99), max: sorted.at(-1) ?? 0, count: sorted.length },
  };
  latencies = [];
  return report;
}

process.on('message', (message: SoakRun | { type: 'counters' }) => {
  if (message.type === 'counters') {
    process.send!(counters());
    return;
  }
  if (message.type !== 'run') return;
  run(message).then(
    () => process.send!({ type: 'done' }),
    (error: unknown) => process.send!({ type: 'error', error: error instanceof Error ? error.stack : String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
process.send!({ type: 'ready' });
