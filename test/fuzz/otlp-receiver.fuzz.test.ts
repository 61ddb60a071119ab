// Fuzzes the OTLP/HTTP receiver of a real collector process (`stitch start`, file exporters).
//
// Seeds are real requests (the official OTLP JSON examples, the same encoded as protobuf by the
// collector, a batch from the OpenTelemetry JS SDK's own protobuf serializer); each request sent
// is one of them mutated (bit flips, inserted/deleted/duplicated ranges, truncation, splices,
// corrupted varints and lengths, extra nesting; for JSON also type swaps, huge numbers, deep
// nesting, bad hex ids, odd unicode, duplicate keys, huge arrays), sent with a random — sometimes
// wrong — Content-Type, Content-Encoding and signal path. It asserts:
//   - the process never exits;
//   - every answer is 200, 400, 413 or 415 — or 429/503 with Retry-After (backpressure) — never
//     a 500 or another 5xx, and none takes longer than 10 s (a body over max_request_body_size
//     may instead see its connection closed, which is how its 413 ends the upload);
//   - the process's RSS (sampled from /proc) stays under RSS_LIMIT_MIB;
//   - afterwards a valid JSON request and a valid protobuf request are accepted and written by
//     the file exporter exactly as sent.
//
// Bounded for CI: 20 s of fuzzing by default. Longer on demand:
//   FUZZ_SECONDS=600 node --import tsx --test test/fuzz/otlp-receiver.fuzz.test.ts
// Every run prints its seed; replay the same payload sequence with FUZZ_SEED=<seed>. A failing
// payload is also saved to a file named in the failure message.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { deflateSync, gzipSync } from 'node:zlib';
import { batchToJsonObject, decodeProtobufRequest } from '@stitch/collector-api';
import { freePort, waitForStatus } from '../helpers/ports.js';
import { mutateBytes, mutateJson, Random } from './mutators.js';
import { seedPayloads, type Seed } from './seed-payloads.js';

const FUZZ_SECONDS = Number(process.env.FUZZ_SECONDS ?? 20);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : randomInt(2 ** 31);
const WORKERS = 4;
/** A request taking longer than this is a finding (a blocked event loop, a hung handler). */
const REQUEST_TIMEOUT_MS = 10_000;
/** The bound RSS must stay under. Observed peaks 480–725 MiB (20–300 s runs), with no climb from quarter to quarter: V8 collects lazily, and 4 clients post JSON bodies of up to 20 MiB that decode to 5–6× their size. */
const RSS_LIMIT_MIB = 1280;
const ALLOWED = new Set([200, 400, 413, 415]);
/** The receiver's default max_request_body_size: past it the 413 may arrive as a closed connection. */
const MAX_REQUEST_BODY_SIZE = 20 * 1024 * 1024;
const BACKPRESSURE = new Set([429, 503]);

const CONTENT_TYPES = { json: 'application/json', protobuf: 'application/x-protobuf' } as const;
const PATHS = { traces: '/v1/traces', logs: '/v1/logs', metrics: '/v1/metrics' } as const;
const cli = fileURLToPath(new URL('../../collector/bin/stitch.mjs', import.meta.url));

interface FuzzCase {
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  description: string;
}

/** One request: a mutated seed, with headers that sometimes lie about it. */
function makeCase(random: Random, seeds: Seed[]): FuzzCase {
  const seed = random.pick(seeds);
  const steps: string[] = [];
  let body = seed.body;
  if (!random.chance(0.05)) {
    const mutated = seed.encoding === 'json' && random.chance(0.6) ? mutateJson(seed.body.toString(), random) : mutateBytes(seed.body, random, random.pick(seeds).body);
    body = mutated.body;
    steps.push(...mutated.steps);
  }
  const headers: Record<string, string> = {};
  const contentType = random.chance(0.85)
    ? CONTENT_TYPES[seed.encoding]
    : random.pick([CONTENT_TYPES[seed.encoding === 'json' ? 'protobuf' : 'json'], 'text/plain', '', 'application/json; charset=utf-16', 'application/x-protobuf; proto=x', undefined]);
  if (contentType !== undefined) headers['content-type'] = contentType;
  switch (random.int(10)) {
    case 0:
    case 1:
      body = gzipSync(body);
      headers['content-encoding'] = 'gzip';
      break;
    case 2:
      body = deflateSync(body);
      headers['content-encoding'] = 'deflate';
      break;
    case 3:
      // Lies: compressed without saying so, or said to be compressed when it is not, or unknown.
      if (random.chance(0.5)) body = gzipSync(body);
      else headers['content-encoding'] = random.pick(['gzip', 'deflate', 'br', 'gzip, gzip', 'identity']);
      break;
    default:
      break;
  }
  const signal = random.chance(0.9) ? seed.signal : random.pick(['traces', 'logs', 'metrics'] as const);
  const description = `${seed.name} [${steps.join(', ') || 'unchanged'}] → ${PATHS[signal]} ${JSON.stringify(headers)} (${body.length} bytes)`;
  return { path: PATHS[signal], headers, body, description };
}

function rssMiB(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

describe(`otlp receiver fuzz (seed ${SEED}, ${FUZZ_SECONDS} s)`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'stitch-fuzz-'));
  let collector: ChildProcess;
  let exited: string | undefined;
  let stderr = '';
  let baseUrl = '';
  let peakRssMiB = 0;
  /** Peak RSS of each quarter of the run: a leak shows as a climb from quarter to quarter. */
  const quarterPeaks = [0, 0, 0, 0];

  before(async () => {
    console.log(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED}), ${FUZZ_SECONDS} s, ${WORKERS} concurrent clients`);
    const ports = { otlp: await freePort(), health: await freePort() };
    const config = `
receivers:
  otlp: { protocols: { http: { endpoint: 127.0.0.1:${ports.otlp} } } }
exporters:
  file/traces: { path: ${join(dir, 'traces.jsonl')}, flush_interval: 0s }
  file/logs: { path: ${join(dir, 'logs.jsonl')}, flush_interval: 0s }
  file/metrics: { path: ${join(dir, 'metrics.jsonl')}, flush_interval: 0s }
extensions:
  health_check: { endpoint: 127.0.0.1:${ports.health} }
service:
  extensions: [health_check]
  pipelines:
    traces: { receivers: [otlp], exporters: [file/traces] }
    logs: { receivers: [otlp], exporters: [file/logs] }
    metrics: { receivers: [otlp], exporters: [file/metrics] }
`;
    writeFileSync(join(dir, 'config.yaml'), config);
    collector = spawn(process.execPath, [cli, 'start', '--config', join(dir, 'config.yaml')], { stdio: ['ignore', 'ignore', 'pipe'] });
    collector.stderr!.on('data', (chunk: Buffer) => {
      // Keep the tail only: a long run logs a lot.
      stderr = (stderr + chunk.toString()).slice(-20_000);
    });
    collector.on('exit', (code, signal) => (exited = `exit code ${code}, signal ${signal}`));
    await waitForStatus(`http://127.0.0.1:${ports.health}/`, 200);
    baseUrl = `http://127.0.0.1:${ports.otlp}`;
  });

  after(() => {
    if (collector.exitCode === null) collector.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('never crashes, answers only documented statuses, keeps RSS bounded', async () => {
    const seeds = seedPayloads();
    const started = Date.now();
    const deadline = started + FUZZ_SECONDS * 1000;
    const statuses = new Map<number, number>();
    const sampler = setInterval(() => {
      const rss = rssMiB(collector.pid!);
      if (rss === undefined) return;
      peakRssMiB = Math.max(peakRssMiB, rss);
      const quarter = Math.min(3, Math.floor(((Date.now() - started) / (FUZZ_SECONDS * 1000)) * 4));
      quarterPeaks[quarter] = Math.max(quarterPeaks[quarter]!, rss);
    }, 200);
    let sent = 0;
    // The first failure stops every client, so its report is the one that counts.
    let failed = false;

    const worker = async (index: number) => {
      const random = new Random(SEED + index * 7919);
      for (let iteration = 0; Date.now() < deadline && exited === undefined && !failed; iteration++) {
        const fuzzCase = makeCase(random, seeds);
        const where = `seed ${SEED}, client ${index}, request ${iteration}: ${fuzzCase.description}`;
        let status: number;
        let retryAfter: string | null;
        let message: string;
        try {
          const response = await fetch(`${baseUrl}${fuzzCase.path}`, {
            method: 'POST',
            headers: fuzzCase.headers,
            body: new Uint8Array(fuzzCase.body),
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          });
          status = response.status;
          retryAfter = response.headers.get('retry-after');
          message = (await response.text()).slice(0, 300);
        } catch (error) {
          status = -1;
          retryAfter = null;
          message = (error as Error).message;
        }
        sent++;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        // An upload over the body limit is answered 413 and its connection closed at once; the
        // client, still sending, may see the close (EPIPE) before it reads that answer.
        const closedOverLimit = status === -1 && fuzzCase.body.length > MAX_REQUEST_BODY_SIZE && !message.includes('timeout');
        const allowed = ALLOWED.has(status) || (BACKPRESSURE.has(status) && retryAfter !== null) || closedOverLimit;
        if (!allowed || exited !== undefined) {
          failed = true;
          const saved = join(tmpdir(), `stitch-fuzz-failure-${SEED}-${index}-${iteration}.bin`);
          writeFileSync(saved, fuzzCase.body);
          writeFileSync(`${saved}.json`, JSON.stringify({ path: fuzzCase.path, headers: fuzzCase.headers }));
          assert.fail(`${where}\n→ status ${status} (Retry-After ${retryAfter}): ${message}\npayload saved to ${saved} (path and headers in ${saved}.json)\ncollector: ${exited ?? 'running'}\n${stderr.slice(-2000)}`);
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: WORKERS }, (_, index) => worker(index)));
    } finally {
      clearInterval(sampler);
    }
    console.log(`fuzz seed ${SEED}: ${sent} requests in ${FUZZ_SECONDS} s, statuses ${JSON.stringify(Object.fromEntries(statuses))}, peak RSS ${peakRssMiB.toFixed(0)} MiB (by quarter: ${quarterPeaks.map((mib) => mib.toFixed(0)).join(', ')})`);
    assert.equal(exited, undefined, `the collector exited during the fuzz run (seed ${SEED}): ${exited}\n${stderr.slice(-2000)}`);
    assert.ok(sent > 0);
    if (existsSync(`/proc/${collector.pid}/status`)) {
      assert.ok(peakRssMiB > 0 && peakRssMiB < RSS_LIMIT_MIB, `peak RSS ${peakRssMiB.toFixed(0)} MiB, over ${RSS_LIMIT_MIB} MiB (seed ${SEED})`);
    }
  });

  it('then accepts a valid request and exports it intact, in JSON and in protobuf', async () => {
    assert.equal(exited, undefined, `the collector exited (seed ${SEED}): ${exited}`);
    // JSON: the official example with a fresh trace id, so its line in the file is unmistakable.
    const traceId = randomBytes(16).toString('hex');
    const example = readFileSync(new URL('../fixtures/otlp-examples/trace.json', import.meta.url), 'utf8').replaceAll('5B8EFFF798038103D269B633813FC60C', traceId.toUpperCase());
    const jsonReply = await fetch(`${baseUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': CONTENT_TYPES.json }, body: example });
    const jsonAnswer = await jsonReply.text();
    assert.equal(jsonReply.status, 200, jsonAnswer);
    assert.deepEqual(JSON.parse(jsonAnswer), {});

    // Protobuf: the SDK's batch, as its serializer made it.
    const sdk = seedPayloads().find((seed) => seed.name === 'OpenTelemetry JS SDK traces')!;
    const protoReply = await fetch(`${baseUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': CONTENT_TYPES.protobuf }, body: new Uint8Array(sdk.body) });
    assert.equal(protoReply.status, 200);
    const sdkTraceId = Buffer.from(decodeProtobufRequest('traces', sdk.body).items()[0]!.traceIdBytes).toString('hex');

    const lines = await waitForLines(join(dir, 'traces.jsonl'), [traceId, sdkTraceId]);
    // What was sent, as OTLP JSON with the hex ids in lower case (the file exporter's spelling).
    const expectedJson = JSON.parse(example.replace(/"(traceId|spanId|parentSpanId)": "([0-9A-F]+)"/g, (_, key: string, hex: string) => `"${key}": "${hex.toLowerCase()}"`));
    assert.deepEqual(JSON.parse(lines.get(traceId)!), expectedJson);
    assert.deepEqual(JSON.parse(lines.get(sdkTraceId)!), batchToJsonObject(decodeProtobufRequest('traces', sdk.body)));
  });
});

/** Waits until the file holds a line containing each of `needles`; returns needle → line. */
async function waitForLines(file: string, needles: string[]): Promise<Map<string, string>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = new Map<string, string>();
    if (existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) for (const needle of needles) if (line.includes(`"${needle}"`)) found.set(needle, line);
    }
    if (found.size === needles.length) return found;
    if (Date.now() > deadline) throw new Error(`the file exporter did not write ${needles.filter((n) => !found.has(n)).join(', ')} within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
