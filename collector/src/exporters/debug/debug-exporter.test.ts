import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { batchToJsonObject, SpanRecord, validateConfig } from '@stitch/collector-api';
import { testSettings } from '../../testing/settings.js';
import { capturingLogger } from '../testing/capturing-logger.js';
import { sampleLogs, sampleMetrics, sampleTraces } from '../testing/sample-batches.js';
import { debugExporterConfigSchema } from './config.js';
import { debugExporterFactory } from './factory.js';

function debugExporter(verbosity?: string) {
  const logger = capturingLogger();
  const config = debugExporterConfigSchema.parse(verbosity ? { verbosity } : {});
  return { exporter: debugExporterFactory.create(testSettings('debug', logger), config), lines: logger.lines };
}

describe('debug exporter', () => {
  it('basic (the default): one line per batch with its signal, resources and items', async () => {
    const { exporter, lines } = debugExporter();
    await exporter.consume(sampleTraces(3), {});
    await exporter.consume(sampleMetrics(5), {});
    assert.deepEqual(
      lines.map(({ level, msg, signal, resources, items }) => ({ level, msg, signal, resources, items })),
      [
        { level: 'info', msg: 'batch', signal: 'traces', resources: 1, items: 3 },
        { level: 'info', msg: 'batch', signal: 'metrics', resources: 1, items: 5 },
      ],
    );
  });

  it('normal: also one line per span with name, trace id and duration, and per log record', async () => {
    const { exporter, lines } = debugExporter('normal');
    const traces = sampleTraces(2);
    await exporter.consume(traces, {});
    await exporter.consume(sampleLogs(1), {});
    assert.equal(lines.length, 5);
    assert.deepEqual(lines[1], {
      level: 'info',
      msg: 'span',
      signal: 'traces',
      name: 'GET /item/0',
      trace_id: traces.items()[0]!.traceId,
      span_id: traces.items()[0]!.spanId,
      duration_ms: 2.5,
    });
    assert.deepEqual(lines[4], { level: 'info', msg: 'log record', signal: 'logs', severity: 'INFO', body: 'log line 0' });
  });

  it('detailed: the whole OTLP JSON of the batch', async () => {
    const { exporter, lines } = debugExporter('detailed');
    const logs = sampleLogs(2);
    await exporter.consume(logs, {});
    assert.equal(lines.length, 1);
    assert.deepEqual(lines[0]!.otlp, batchToJsonObject(logs));
  });

  it('logs a batch it cannot read instead of failing the pipeline', async () => {
    const { exporter, lines } = debugExporter('normal');
    const batch = sampleTraces(1);
    batch.resources[0]!.scopes[0]!.items.push(SpanRecord.fromBytes(Uint8Array.of(0x28, 0x05)));
    await exporter.consume(batch, {});
    assert.ok(lines.some((l) => l.level === 'error' && /malformed/.test(String(l.err))));
  });

  it('rejects an unknown verbosity, naming the key', () => {
    const result = validateConfig(debugExporterConfigSchema, { verbosity: 'loud' }, 'exporters.debug');
    assert.ok(!result.ok);
    assert.equal(result.problems[0]!.path, 'exporters.debug.verbosity');
  });
});
