// The otlphttp sending queue on disk (sending_queue.storage): what a restart, a full queue and a
// damaged file do to batches that were acknowledged.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { decodeProtobufRequest, RefusedError, type Exporter, type Host, type Traces } from '@stitch/collector-api';
import { testSettings } from '../../testing/settings.js';
import { fileStorageExtensionFactory } from '../../extensions/file_storage/factory.js';
import type { FileStorageExtension } from '../../extensions/file_storage/file-storage.js';
import { capturingLogger } from '../testing/capturing-logger.js';
import { startRecordingServer, type RecordingServer, type Responder } from '../testing/recording-server.js';
import { sampleTraces } from '../testing/sample-batches.js';
import { otlpHttpExporterFactory } from './factory.js';

const FAST_RETRY = { initial_interval: '20ms', max_interval: '100ms', max_elapsed_time: 0, randomization_factor: 0 };

const cleanup: (() => Promise<unknown> | unknown)[] = [];
after(async () => {
  for (const step of cleanup.reverse()) await step();
});

async function peer(respond?: Responder): Promise<RecordingServer> {
  const server = await startRecordingServer(respond);
  cleanup.push(() => server.close());
  return server;
}

/** A running exporter with its own file_storage over `directory` (as one collector run would have). */
async function persistentExporter(directory: string, endpoint: string, queue: Record<string, unknown> = {}, exporterConfig: Record<string, unknown> = {}) {
  const settings = testSettings('otlphttp/peer', capturingLogger());
  const storageSettings = testSettings('file_storage', capturingLogger());
  const storage = fileStorageExtensionFactory.create(storageSettings, fileStorageExtensionFactory.configSchema.parse({ directory })) as FileStorageExtension;
  await storage.start();
  const config = otlpHttpExporterFactory.configSchema.parse({
    endpoint,
    timeout: '2s',
    retry_on_failure: FAST_RETRY,
    sending_queue: { storage: 'file_storage', num_consumers: 1, ...queue },
    ...exporterConfig,
  });
  const exporter: Exporter = otlpHttpExporterFactory.create(settings, config);
  const host: Host = { getExtension: <T>(id: string) => (id === 'file_storage' ? storage : undefined) as T | undefined, getExporter: () => undefined };
  await exporter.start!(host);
  const stop = async () => {
    await exporter.shutdown!();
    await storage.shutdown();
  };
  cleanup.push(stop);
  const counter = (name: string) => settings.metrics.value(`stitch_exporter_${name}_total`, { exporter: 'otlphttp/peer' });
  const damaged = (reason: string) => storageSettings.metrics.value('stitch_storage_damaged_records_total', { extension: 'file_storage', reason });
  return { exporter, stop, counter, damaged, logs: (settings.logger as ReturnType<typeof capturingLogger>).lines };
}

/** A batch whose one span is named `name`. */
function named(name: string): Traces {
  const batch = sampleTraces(1);
  for (const span of batch.items()) span.update((data) => void (data.name = name));
  return batch;
}

const namesReceived = (server: RecordingServer) => server.requests.map((r) => decodeProtobufRequest('traces', r.body).items()[0]!.name);

async function waitFor(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('otlphttp persistent sending queue', () => {
  it('keeps what a down peer could not take across a restart, and delivers it first, in order', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'stitch-pq-'));
    const down = await peer(() => ({ status: 503 }));
    const first = await persistentExporter(directory, down.url);
    for (let i = 0; i < 5; i++) await first.exporter.consume(named(`before-${i}`), {});
    await waitFor(() => down.requests.length >= 2, 'retries against the down peer');
    await first.stop();
    assert.equal(await first.counter('send_failed_spans'), 0, 'stopping gives up nothing');

    const up = await peer();
    const second = await persistentExporter(directory, up.url);
    await second.exporter.consume(named('after-restart'), {});
    await waitFor(() => up.requests.length === 6, 'all six batches');
    assert.deepEqual(namesReceived(up), ['before-0', 'before-1', 'before-2', 'before-3', 'before-4', 'after-restart']);
    await second.stop();
    const left = readdirSync(join(directory, 'exporter_otlphttp%2Fpeer', 'sending_queue')).filter((f) => f.endsWith('.log'));
    assert.deepEqual(left, [], 'delivered batches leave the disk');
  });

  it('refuses with a RefusedError (503 + Retry-After at the receiver) when full, counting enqueue_failed', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'stitch-pq-'));
    const down = await peer(() => ({ status: 503 }));
    const { exporter, counter } = await persistentExporter(directory, down.url, { queue_size: 2 });
    await exporter.consume(named('in-flight'), {});
    await waitFor(() => down.requests.length >= 1, 'the first send');
    await exporter.consume(named('waiting-1'), {});
    await exporter.consume(named('waiting-2'), {});
    const refused = await exporter.consume(named('one too many'), {}).then(() => undefined, (error: unknown) => error);
    assert.ok(refused instanceof RefusedError, String(refused));
    assert.equal(refused.retryAfterSeconds, 1);
    assert.equal(await counter('enqueue_failed_spans'), 1);
  });

  it('drops (and counts) instead when when_full is drop', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'stitch-pq-'));
    const down = await peer(() => ({ status: 503 }));
    const { exporter, counter } = await persistentExporter(directory, down.url, { queue_size: 1, when_full: 'drop' });
    await exporter.consume(named('in-flight'), {});
    await waitFor(() => down.requests.length >= 1, 'the first send');
    await exporter.consume(named('waiting'), {});
    await exporter.consume(named('dropped'), {});
    assert.equal(await counter('enqueue_failed_spans'), 1);
  });

  it('refuses once its files would pass max_size_mib', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'stitch-pq-'));
    const down = await peer(() => ({ status: 503 }));
    const { exporter, counter } = await persistentExporter(directory, down.url, { max_size_mib: 0.01, queue_size: 10_000 });
    let accepted = 0;
    let refusal: unknown;
    while (!refusal && accepted < 1000) {
      await exporter.consume(sampleTraces(20), {}).then(() => accepted++, (error: unknown) => (refusal = error));
    }
    assert.ok(refusal instanceof RefusedError, String(refusal));
    assert.match(refusal.message, /max_size_mib/);
    assert.ok(accepted > 0 && accepted < 1000);
    assert.equal(await counter('enqueue_failed_spans'), 20);
  });

  it('skips a damaged queued batch at restart (logged, counted) and delivers the others', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'stitch-pq-'));
    const down = await peer(() => ({ status: 503 }));
    const first = await persistentExporter(directory, down.url);
    for (const name of ['a', 'b', 'c']) await first.exporter.consume(named(name), {});
    await first.stop();
    const queueDir = join(directory, 'exporter_otlphttp%2Fpeer', 'sending_queue');
    const [file] = readdirSync(queueDir).filter((f) => f.endsWith('.log'));
    const bytes = readFileSync(join(queueDir, file!));
    // Flip a byte inside the second record (records are the same size, one after another).
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    writeFileSync(join(queueDir, file!), bytes);

    const up = await peer();
    const second = await persistentExporter(directory, up.url);
    await waitFor(() => up.requests.length === 2, 'the two whole batches');
    assert.deepEqual(namesReceived(up), ['a', 'c']);
    assert.equal(await second.damaged('corrupt'), 1);
  });

  it('re-encodes batches queued under another encoding when the config changed across the restart', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'stitch-pq-'));
    const down = await peer(() => ({ status: 503 }));
    const first = await persistentExporter(directory, down.url, {}, { encoding: 'json' });
    await first.exporter.consume(named('queued as json'), {});
    await first.stop();
    const up = await peer();
    const second = await persistentExporter(directory, up.url);
    await waitFor(() => up.requests.length === 1, 'the queued batch');
    assert.equal(up.requests[0]!.headers['content-type'], 'application/x-protobuf');
    assert.deepEqual(namesReceived(up), ['queued as json']);
    await second.stop();
  });
});
