import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateConfig } from '@stitch/collector-api';
import { otlpHttpConfigSchema } from './config.js';
import { signalUrls } from './endpoints.js';

const validate = (value: unknown) => validateConfig(otlpHttpConfigSchema, value, 'exporters.otlphttp/jaeger');

describe('otlphttp config', () => {
  it('fills the OpenTelemetry Collector defaults', () => {
    const result = validate({ endpoint: 'http://127.0.0.1:14318' });
    assert.ok(result.ok);
    assert.deepEqual(result.config, {
      endpoint: 'http://127.0.0.1:14318',
      encoding: 'proto',
      compression: 'gzip',
      timeout: 30_000,
      headers: {},
      retry_on_failure: {
        enabled: true,
        initial_interval: 5_000,
        max_interval: 30_000,
        max_elapsed_time: 300_000,
        multiplier: 1.5,
        randomization_factor: 0.5,
      },
      sending_queue: { enabled: true, num_consumers: 10, queue_size: 1000, when_full: 'refuse' },
    });
  });

  it('names endpoint when no endpoint is set at all', () => {
    const result = validate({ encoding: 'json' });
    assert.ok(!result.ok);
    assert.deepEqual(result.problems.map((p) => p.path), ['exporters.otlphttp/jaeger.endpoint']);
  });

  it('accepts a signal endpoint alone', () => {
    assert.ok(validate({ traces_endpoint: 'https://jaeger:4318/v1/traces' }).ok);
  });

  it('names unknown keys, bad enums and bad durations, nested ones too', () => {
    const result = validate({
      endpoint: 'http://x:1',
      compresion: 'gzip',
      encoding: 'protobuf',
      retry_on_failure: { initial_interval: 'soon' },
      sending_queue: { queue_size: 0 },
    });
    assert.ok(!result.ok);
    assert.deepEqual(result.problems.map((p) => p.path).sort(), [
      'exporters.otlphttp/jaeger.compresion',
      'exporters.otlphttp/jaeger.encoding',
      'exporters.otlphttp/jaeger.retry_on_failure.initial_interval',
      'exporters.otlphttp/jaeger.sending_queue.queue_size',
    ]);
  });

  it('appends /v1/<signal> to endpoint, keeping a base path, unless a signal endpoint overrides it', () => {
    const config = otlpHttpConfigSchema.parse({ endpoint: 'http://gw:4318/otlp', logs_endpoint: 'http://logs:9000/ingest' });
    const urls = signalUrls(config);
    assert.equal(urls.traces?.href, 'http://gw:4318/otlp/v1/traces');
    assert.equal(urls.metrics?.href, 'http://gw:4318/otlp/v1/metrics');
    assert.equal(urls.logs?.href, 'http://logs:9000/ingest');
    assert.equal(signalUrls(otlpHttpConfigSchema.parse({ traces_endpoint: 'http://t:1/x' })).logs, undefined);
  });
});
