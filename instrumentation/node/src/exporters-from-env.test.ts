import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { logRecordProcessorsFromEnv, otlpProtocol, spanProcessorsFromEnv } from './exporters-from-env.js';

const saved = { ...process.env };
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

// Guards the one reach into sdk-node internals: if the pinned version moves them, this fails.
test('OTEL_TRACES_EXPORTER selects exporters exactly as sdk-node does', () => {
  process.env.OTEL_TRACES_EXPORTER = 'console';
  const [processor] = spanProcessorsFromEnv();
  assert.ok(processor instanceof SimpleSpanProcessor);
  assert.ok((processor as unknown as { _exporter: unknown })._exporter instanceof ConsoleSpanExporter);
  process.env.OTEL_TRACES_EXPORTER = 'none';
  assert.deepEqual(spanProcessorsFromEnv(), []);
  delete process.env.OTEL_TRACES_EXPORTER;
  assert.equal(spanProcessorsFromEnv().length, 1, 'otlp by default');
});

test('OTEL_LOGS_EXPORTER: otlp by default, console, none', () => {
  assert.equal(logRecordProcessorsFromEnv().length, 1);
  process.env.OTEL_LOGS_EXPORTER = 'otlp,console';
  assert.equal(logRecordProcessorsFromEnv().length, 2);
  process.env.OTEL_LOGS_EXPORTER = 'none';
  assert.deepEqual(logRecordProcessorsFromEnv(), []);
});

test('protocol: per-signal variable, then the general one, default http/protobuf; grpc falls back', () => {
  assert.equal(otlpProtocol('TRACES'), 'http/protobuf');
  process.env.OTEL_EXPORTER_OTLP_PROTOCOL = 'http/json';
  assert.equal(otlpProtocol('LOGS'), 'http/json');
  process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL = 'http/protobuf';
  assert.equal(otlpProtocol('TRACES'), 'http/protobuf');
  process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL = 'grpc';
  assert.equal(otlpProtocol('TRACES'), 'http/protobuf');
});
