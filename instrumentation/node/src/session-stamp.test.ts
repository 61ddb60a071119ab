import assert from 'node:assert/strict';
import { test } from 'node:test';
import { context, propagation, ROOT_CONTEXT, trace, type Context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CBaggagePropagator } from '@opentelemetry/core';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { SessionBaggageLogProcessor, SessionBaggageSpanProcessor, SessionStamper } from './session-stamp.js';

/** The context an HTTP server instrumentation would extract from these request headers. */
function incoming(baggageHeader: string): Context {
  return new W3CBaggagePropagator().extract(ROOT_CONTEXT, { baggage: baggageHeader }, { get: (c, k) => c[k], keys: Object.keys });
}

function pipeline() {
  const stamper = new SessionStamper();
  const spans = new InMemorySpanExporter();
  const logs = new InMemoryLogRecordExporter();
  const tracerProvider = new TracerProvider({
    spanProcessors: [new SessionBaggageSpanProcessor(stamper), new SimpleSpanProcessor({ exporter: spans })],
  });
  const loggerProvider = new LoggerProvider({
    processors: [new SessionBaggageLogProcessor(stamper), new SimpleLogRecordProcessor({ exporter: logs })],
  });
  return { stamper, spans, logs, tracer: tracerProvider.getTracer('t'), logger: loggerProvider.getLogger('l') };
}

test('stamps the server span, its children and logs in the request context with the baggage session.id', () => {
  const { stamper, spans, logs, tracer, logger } = pipeline();
  const requestCtx = incoming('session.id=0af7651916cd43dd8448eb211c80319c,other=1');
  const server = tracer.startSpan('GET /checkout', {}, requestCtx);
  const serverCtx = trace.setSpan(requestCtx, server);
  const db = tracer.startSpan('insert orders', {}, serverCtx);
  const grandChild = tracer.startSpan('POST payments', {}, trace.setSpan(serverCtx, db));
  logger.emit({ body: 'checkout failed', context: serverCtx });
  grandChild.end();
  db.end();
  server.end();
  const finished = spans.getFinishedSpans();
  assert.equal(finished.length, 3);
  for (const span of finished) assert.equal(span.attributes['session.id'], '0af7651916cd43dd8448eb211c80319c', span.name);
  assert.equal(logs.getFinishedLogRecords()[0]?.attributes['session.id'], '0af7651916cd43dd8448eb211c80319c');
  assert.equal(stamper.stats.stampedSpans, 3);
  assert.equal(stamper.stats.stampedLogs, 1);
});

test('stamps logs emitted in the active context (no explicit context), as log bridges emit them', () => {
  const manager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(manager);
  try {
    const { logs, logger } = pipeline();
    context.with(incoming('session.id=abc-123'), () => logger.emit({ body: 'hello' }));
    assert.equal(logs.getFinishedLogRecords()[0]?.attributes['session.id'], 'abc-123');
  } finally {
    context.disable();
  }
});

test('an invalid baggage value is never trusted into attributes, and is counted once per request', () => {
  const { stamper, spans, tracer } = pipeline();
  const bad = incoming(`session.id=${encodeURIComponent('<img src=x onerror=alert(1)>')}`);
  const server = tracer.startSpan('GET /', {}, bad);
  tracer.startSpan('child', {}, trace.setSpan(bad, server)).end();
  server.end();
  const tooLong = incoming(`session.id=${'a'.repeat(500)}`);
  tracer.startSpan('GET /long', {}, tooLong).end();
  for (const span of spans.getFinishedSpans()) assert.equal(span.attributes['session.id'], undefined, span.name);
  assert.deepEqual(stamper.stats.rejected, { too_long: 1, bad_charset: 1, empty: 0 });
  assert.equal(stamper.stats.stampedSpans, 0);
});

test('no baggage, or baggage without session.id, leaves spans alone and counts nothing', () => {
  const { stamper, spans, tracer } = pipeline();
  tracer.startSpan('plain', {}, ROOT_CONTEXT).end();
  tracer.startSpan('other baggage', {}, incoming('tenant=acme')).end();
  for (const span of spans.getFinishedSpans()) assert.equal(span.attributes['session.id'], undefined);
  assert.deepEqual(stamper.stats, { stampedSpans: 0, stampedLogs: 0, rejected: { too_long: 0, bad_charset: 0, empty: 0 } });
});

test('a session.id set explicitly on the span wins over baggage', () => {
  const { spans, tracer } = pipeline();
  tracer.startSpan('explicit', { attributes: { 'session.id': 'from-code' } }, incoming('session.id=from-baggage')).end();
  assert.equal(spans.getFinishedSpans()[0]?.attributes['session.id'], 'from-code');
});

test('baggage built in-process (not only extracted) is honoured too', () => {
  const { spans, tracer } = pipeline();
  const ctx = propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage({ 'session.id': { value: 'job-42' } }));
  tracer.startSpan('queue job', {}, ctx).end();
  assert.equal(spans.getFinishedSpans()[0]?.attributes['session.id'], 'job-42');
});
