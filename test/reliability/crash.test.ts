// Crash: the official OTLP exporter sends spans at a steady rate to a real collector process, which
// is killed with SIGKILL mid-stream and restarted on the same config and data directories. Every
// span the collector acknowledged (HTTP 200) must reach the file exporter, the OTLP peer behind a
// persistent queue, and (when it names a session) the session store — and none twice in the store.
// The OTLP peer answers 503 until the restart, so at the kill everything for it waits on disk.
// Spans of traces no browser span has named sit in session_stitch's wait buffer at the kill: its
// journal (storage: file_storage) brings them back.
//
// STITCH_CRASH_SECONDS sets how long spans are sent (default 4 s; the kill comes at 30% of it).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { decodeProtobufRequest } from '@stitch/collector-api';
import { startRecordingServer, type RecordingServer } from '../../collector/src/exporters/testing/recording-server.js';
import { freePort } from '../helpers/ports.js';
import { AckedSpanSource } from './acked-spans.js';
import { StitchProcess } from './stitch-process.js';

const SEND_SECONDS = Number(process.env.STITCH_CRASH_SECONDS ?? 4);
const SPANS_PER_SECOND = 100;

const dir = mkdtempSync(join(tmpdir(), 'stitch-crash-'));
let collector: StitchProcess | undefined;
let peer: RecordingServer | undefined;
after(async () => {
  await collector?.kill9();
  await peer?.close();
});

function config(ports: { otlp: number; health: number }, peerUrl: string): string {
  return `
receivers:
  otlp: { protocols: { http: { endpoint: 127.0.0.1:${ports.otlp} } } }
processors:
  session_stitch: { wait: 1s, storage: file_storage }
  batch: { timeout: 100ms }
exporters:
  file/traces: { path: ${join(dir, 'traces.jsonl')}, flush_interval: 50ms }
  sessionstore: { path: ${join(dir, 'sessions.duckdb')}, refresh_interval: 100ms }
  otlphttp/peer:
    endpoint: ${peerUrl}
    sending_queue: { storage: file_storage }
    retry_on_failure: { initial_interval: 100ms, max_interval: 1s, max_elapsed_time: 0 }
extensions:
  file_storage: { directory: ${join(dir, 'queue')} }
  health_check: { endpoint: 127.0.0.1:${ports.health} }
service:
  extensions: [file_storage, health_check]
  pipelines:
    traces: { receivers: [otlp], processors: [session_stitch, batch], exporters: [file/traces, sessionstore, otlphttp/peer] }
`;
}

function fileSpanIds(): string[] {
  const path = join(dir, 'traces.jsonl');
  if (!existsSync(path)) return [];
  const ids: string[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line) continue;
    let request: any;
    try {
      request = JSON.parse(line);
    } catch {
      continue; // a line cut by the kill cannot hold an acknowledged span: those were written before the 200
    }
    for (const rs of request.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) for (const span of ss.spans ?? []) ids.push(span.spanId);
  }
  return ids;
}


async function storeSpanCounts(path: string): Promise<Map<string, number>> {
  const db = await DuckDBInstance.create(path);
  const connection = await db.connect();
  try {
    const rows = (await connection.runAndReadAll('SELECT lower(hex(span_id)), count(*)::INTEGER FROM spans GROUP BY 1')).getRowsJS();
    return new Map(rows.map((row) => [String(row[0]), Number(row[1])]));
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

async function waitUntil(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms\ncollector stderr (tail):\n${collector?.stderr.slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('every span acknowledged before or after a kill -9 reaches the file, the OTLP peer and the store; none twice in the store', async (t) => {
  const ports = { otlp: await freePort(), health: await freePort() };
  // Down (503) until the collector has been killed and restarted; span ids of the requests it took.
  let peerDown = true;
  const peerIds: string[] = [];
  peer = await startRecordingServer((request) => {
    if (peerDown) return { status: 503 };
    peerIds.push(...decodeProtobufRequest('traces', request.body).items().map((span) => span.spanId));
    return { status: 200 };
  });
  const peerSpanIds = () => peerIds;
  const configPath = join(dir, 'config.yaml');
  writeFileSync(configPath, config(ports, peer.url));
  const healthUrl = `http://127.0.0.1:${ports.health}/`;
  collector = await StitchProcess.start(configPath, healthUrl);
  const firstPid = collector.pid;

  const source = new AckedSpanSource(`http://127.0.0.1:${ports.otlp}`);
  const total = SEND_SECONDS * SPANS_PER_SECOND;
  const beforeKill = Math.floor(total * 0.3);
  let sent = 0;
  /** Sends `count` spans at the steady rate (or until `until` says stop). */
  const sendSteadily = async (count: number, until: () => boolean = () => false) => {
    const started = Date.now();
    for (let i = 0; i < count && !until(); i++) {
      const n = sent++;
      // Three in four name a session (the store keeps them); one in four waits in session_stitch's buffer.
      if (n % 4 === 3) source.unnamedChildSpan(`span-${n}`);
      else source.sessionSpan(`span-${n}`, `session-${n % 7}`);
      const due = started + ((i + 1) * 1000) / SPANS_PER_SECOND;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    }
  };
  await sendSteadily(beforeKill);
  // Killed with requests in flight; spans keep coming while it is down (those fail, and are not counted as acknowledged).
  await collector.kill9();
  const killedAt = Date.now();
  let up = false;
  const restarted = StitchProcess.start(configPath, healthUrl).then((next) => {
    collector = next;
    up = true;
  });
  await sendSteadily(Number.MAX_SAFE_INTEGER, () => up);
  await restarted;
  t.diagnostic(`restart took ${Date.now() - killedAt} ms`);
  assert.match(collector!.stderr, /delivering batches queued before the restart first/, 'the OTLP peer\'s queue was on disk at the kill');
  peerDown = false;
  const logged = (msg: string) => collector!.stderr.split('\n').filter((line) => line.includes(msg)).map((line) => JSON.parse(line) as Record<string, unknown>);
  const queued = logged('delivering batches queued before the restart first')[0];
  const held = logged('records held before the restart are back')[0];
  t.diagnostic(`at the kill: ${queued?.batches} batches (${queued?.bytes} bytes) in the OTLP peer's queue on disk, ${held?.items ?? 0} spans in session_stitch's journal`);
  await sendSteadily(total - beforeKill);
  await source.shutdown();
  assert.notEqual(collector!.pid, firstPid);

  const acked = source.acked;
  const ackedIds = new Set(acked.map((s) => s.spanId));
  t.diagnostic(`sent ${sent} spans at ${SPANS_PER_SECOND}/s; acknowledged ${acked.length}, failed ${source.failed.length} (sent while the collector was down or being killed)`);
  const reasons = new Map<string, number>();
  for (const f of source.failed) reasons.set(String(f.error), (reasons.get(String(f.error)) ?? 0) + 1);
  t.diagnostic(`failures: ${JSON.stringify([...reasons])}`);
  const inFlightAtKill = source.acked.filter((s) => s.sentAt < killedAt && s.sentAt + s.latencyMs! > killedAt).length;
  t.diagnostic(`${inFlightAtKill} acknowledged spans were in flight at the kill (the exporter retried them into the restarted collector)`);
  assert.ok(acked.length >= total * 0.9, `the spans sent while it ran are acknowledged (${acked.length} of ${total})`);
  assert.equal(source.failed.length + acked.length, sent);

  // The kill caught spans in session_stitch's wait buffer; the restarted collector took them back from its journal.
  assert.match(collector!.stderr, /records held before the restart are back/);

  const missingFrom = (ids: () => string[]) => {
    const seen = new Set(ids());
    return [...ackedIds].filter((id) => !seen.has(id));
  };
  await waitUntil(() => missingFrom(fileSpanIds).length === 0, `acknowledged spans missing from the file: ${missingFrom(fileSpanIds).length}`, 20_000).catch((error: Error) => {
    throw new Error(`${error.message} (missing: ${missingFrom(fileSpanIds).length})`);
  });
  await waitUntil(() => missingFrom(peerSpanIds).length === 0, 'acknowledged spans missing at the OTLP peer', 20_000).catch((error: Error) => {
    throw new Error(`${error.message} (missing: ${missingFrom(peerSpanIds).length})`);
  });

  assert.equal(await collector!.stop(), 0);
  const stored = await storeSpanCounts(join(dir, 'sessions.duckdb'));
  const withSession = acked.filter((s) => s.sessionId !== undefined);
  const notStored = withSession.filter((s) => !stored.has(s.spanId));
  assert.deepEqual(notStored, [], 'every acknowledged span with a session.id is in the store');
  const twice = [...stored].filter(([, count]) => count > 1);
  assert.deepEqual(twice, [], 'no span twice in the store');

  const fileCount = fileSpanIds().length;
  const peerCount = peerSpanIds().length;
  t.diagnostic(
    `after the restart: file ${fileCount} span lines for ${ackedIds.size} acknowledged (${fileCount - new Set(fileSpanIds()).size} replayed twice), ` +
      `peer ${peerCount} (${peerCount - new Set(peerSpanIds()).size} replayed), store ${stored.size} spans, none twice`,
  );
});
