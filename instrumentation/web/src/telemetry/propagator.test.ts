import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultTextMapGetter, defaultTextMapSetter, propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { SessionPropagator } from './propagator.js';

const sc = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED };

test('injects traceparent and baggage with session.id, readable by the standard W3C propagators', () => {
  const bag = propagation.createBaggage({ 'app.tenant': { value: 'a b' } });
  const ctx = propagation.setBaggage(trace.setSpanContext(ROOT_CONTEXT, sc), bag);
  const headers: Record<string, string> = {};
  new SessionPropagator(() => 'sess1').inject(ctx, headers, defaultTextMapSetter);
  assert.equal(headers.traceparent, '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
  const back = new W3CBaggagePropagator().extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
  assert.equal(propagation.getBaggage(back)?.getEntry('session.id')?.value, 'sess1');
  assert.equal(propagation.getBaggage(back)?.getEntry('app.tenant')?.value, 'a b');
  const parsed = trace.getSpanContext(new W3CTraceContextPropagator().extract(ROOT_CONTEXT, headers, defaultTextMapGetter));
  assert.equal(parsed?.spanId, sc.spanId);
});

test('no session (unsampled, no consent) → no headers at all', () => {
  const headers: Record<string, string> = {};
  new SessionPropagator(() => undefined).inject(trace.setSpanContext(ROOT_CONTEXT, sc), headers, defaultTextMapSetter);
  assert.deepEqual(headers, {});
});

test('extracts a remote parent from traceparent', () => {
  const ctx = new SessionPropagator(() => 's').extract(ROOT_CONTEXT, { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }, defaultTextMapGetter);
  assert.deepEqual(trace.getSpanContext(ctx), { ...sc, isRemote: true });
});
