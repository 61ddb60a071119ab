import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  encodeJsonRequest,
  encodeProtobufRequest,
  decodeProtobufRequest,
  SpanRecord,
  validateConfig,
  type Exporter,
} from '@stitch/collector-api';
import { testSettings } from '../../testing/settings.js';
import { capturingLogger } from '../testing/capturing-logger.js';
import { sampleLogs, sampleMetrics, sampleTraces } from '../testing/sample-batches.js';
import { fileExporterConfigSchema } from './config.js';
import { fileExporterFactory } from './factory.js';

const dir = await mkdtemp(join(tmpdir(), 'stitch-file-exporter-'));
after(() => rm(dir, { recursive: true, force: true }));
let files = 0;

function fileExporter(flushInterval = '1s') {
  const path = join(dir, `nested-${files++}`, 'deeper', 'out.jsonl');
  const logger = capturingLogger();
  const settings = testSettings('file', logger);
  const instance: Exporter = fileExporterFactory.create(settings, fileExporterConfigSchema.parse({ path, flush_interval: flushInterval }));
  const counter = (name: string) => settings.metrics.value(`stitch_exporter_${name}_total`, { exporter: 'file' });
  return { instance, path, logs: logger.lines, counter };
}

const readLines = async (path: string) => (await readFile(path, 'utf8')).split('\n').filter(Boolean);

describe('file exporter', () => {
  it('writes one OTLP JSON request per batch, any signal, creating the directories; all on disk after shutdown', async () => {
    const { instance, path, counter } = fileExporter();
    await instance.start?.({ getExtension: () => undefined, getExporter: () => undefined });
    const batches = [sampleTraces(3), sampleLogs(2), sampleMetrics(4)];
    for (const batch of batches) await instance.consume(batch, {});
    await instance.shutdown?.();

    const lines = await readLines(path);
    assert.deepEqual(lines, batches.map(encodeJsonRequest));
    assert.equal(await counter('sent_spans'), 3);
    assert.equal(await counter('sent_log_records'), 2);
    assert.equal(await counter('sent_metric_points'), 4);
  });

  it('buffers until the flush interval, writes concurrent batches together, and acknowledges each once written', async () => {
    const { instance, path } = fileExporter('100ms');
    await instance.start?.({ getExtension: () => undefined, getExporter: () => undefined });
    let acknowledged = 0;
    const acks = [instance.consume(sampleTraces(1), {}), instance.consume(sampleTraces(2), {})].map((p) => p.then(() => acknowledged++));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal((await readFile(path, 'utf8')).length, 0, 'nothing written before the interval');
    assert.equal(acknowledged, 0, 'nothing acknowledged before it is written');
    await Promise.all(acks);
    assert.equal((await readLines(path)).length, 2, 'both lines are in the file when consume resolves');
    const late = instance.consume(sampleTraces(1), {});
    await instance.shutdown?.();
    await late;
    assert.equal((await readLines(path)).length, 3);
  });

  it('appends to an existing file', async () => {
    const first = fileExporter();
    await first.instance.consume(sampleLogs(1), {});
    await first.instance.shutdown?.();
    const second = fileExporterFactory.create(testSettings('file'), fileExporterConfigSchema.parse({ path: first.path }));
    await second.consume(sampleLogs(2), {});
    await second.shutdown?.();
    assert.equal((await readLines(first.path)).length, 2);
  });

  it('leaves out a record that does not decode, logs it, and writes the rest', async () => {
    const { instance, path, logs, counter } = fileExporter();
    const good = sampleTraces(2);
    const batch = decodeProtobufRequest('traces', encodeProtobufRequest(good));
    // Passes the receiver's structural scan but not the schema: name (field 5) sent as a varint.
    const brokenSpan = SpanRecord.fromBytes(Uint8Array.of(0x28, 0x05));
    batch.resources[0]!.scopes[0]!.items.splice(1, 0, brokenSpan);

    await instance.consume(batch, {});
    await instance.shutdown?.();
    assert.deepEqual(await readLines(path), [encodeJsonRequest(good)]);
    assert.equal(await counter('send_failed_spans'), 1);
    assert.equal(await counter('sent_spans'), 2);
    assert.ok(logs.some((l) => l.level === 'error' && l.skipped === 1));
  });

  it('names the key when path is missing or a key is unknown', () => {
    const result = validateConfig(fileExporterConfigSchema, { flush_interval: '1s', rotation: {} }, 'exporters.file');
    assert.ok(!result.ok);
    assert.deepEqual(result.problems.map((p) => p.path).sort(), ['exporters.file.path', 'exporters.file.rotation']);
  });
});
