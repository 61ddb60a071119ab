import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { context, propagation } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { propagationHeaders } from './propagation-headers.js';

const tracer = new BasicTracerProvider().getTracer('test');
const target = (sessionId: string | undefined, allowed = /^https:\/\/api\.example\.com\//) => ({
  sessionId: () => sessionId,
  shouldPropagate: (url: string) => allowed.test(url),
});

describe('propagationHeaders', () => {
  afterEach(() => propagation.disable());

  it('adds traceparent for the span and baggage session.id for propagateTo URLs', () => {
    const span = tracer.startSpan('HTTP GET');
    const { traceId, spanId } = span.spanContext();
    const h = propagationHeaders('https://api.example.com/cart', span, target('s-1'));
    assert.deepEqual(h, { traceparent: `00-${traceId}-${spanId}-01`, baggage: 'session.id=s-1' });
  });

  it('adds nothing to other URLs', () => {
    assert.equal(propagationHeaders('https://cdn.other.com/x', tracer.startSpan('x'), target('s-1')), undefined);
  });

  it('adds nothing when the session is not sampled (no session id)', () => {
    assert.equal(propagationHeaders('https://api.example.com/cart', tracer.startSpan('x'), target(undefined)), undefined);
  });

  it('appends to the app baggage and never duplicates session.id', () => {
    const span = tracer.startSpan('x');
    assert.equal(propagationHeaders('https://api.example.com/', span, target('s 1'), 'tenant=a')?.baggage, 'tenant=a,session.id=s%201');
    assert.equal(propagationHeaders('https://api.example.com/', span, target('s-1'), 'session.id=mine')?.baggage, 'session.id=mine');
  });

  it('uses the globally registered propagator when there is one', () => {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    const span = tracer.startSpan('x');
    const h = propagationHeaders('https://api.example.com/', span, target('s-1'));
    assert.match(h?.traceparent ?? '', new RegExp(`^00-${span.spanContext().traceId}-${span.spanContext().spanId}-01$`));
  });

  it('keeps baggage a global propagator wrote and adds session.id once', () => {
    propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
    const span = tracer.startSpan('x');
    const withBag = propagation.setBaggage(context.active(), propagation.createBaggage({ 'session.id': { value: 's-1' } }));
    const h = context.with(withBag, () => propagationHeaders('https://api.example.com/', span, target('s-1'), 'tenant=a'));
    assert.equal(h?.baggage, 'tenant=a,session.id=s-1');
    const h2 = context.with(withBag, () => propagationHeaders('https://api.example.com/', span, target('s-1'), 'session.id=mine'));
    assert.equal(h2?.baggage, 'session.id=mine');
  });
});
