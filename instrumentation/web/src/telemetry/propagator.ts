import {
  isSpanContextValid, propagation, trace, TraceFlags,
  type Context, type TextMapGetter, type TextMapPropagator, type TextMapSetter,
} from '@opentelemetry/api';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * W3C `traceparent` + `baggage` (a small stand-in for core's W3C propagators), with
 * `session.id=<id>` added to the baggage on inject. Injects nothing when there is no sampled,
 * consented session (`sessionId()` undefined). `tracestate` is passed through as received.
 */
export class SessionPropagator implements TextMapPropagator {
  constructor(private readonly sessionId: () => string | undefined) {}

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const id = this.sessionId();
    if (!id) return;
    const sc = trace.getSpanContext(context);
    if (sc && isSpanContextValid(sc)) {
      setter.set(carrier, 'traceparent', `00-${sc.traceId}-${sc.spanId}-0${Number(sc.traceFlags & TraceFlags.SAMPLED)}`);
      const state = sc.traceState?.serialize();
      if (state) setter.set(carrier, 'tracestate', state);
    }
    const entries = (propagation.getBaggage(context)?.getAllEntries() ?? []).filter(([k]) => k !== 'session.id');
    entries.push(['session.id', { value: id }]);
    setter.set(carrier, 'baggage', entries.map(([k, e]) => `${encodeURIComponent(k)}=${encodeURIComponent(e.value)}`).join(','));
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const header = getter.get(carrier, 'traceparent');
    const m = TRACEPARENT.exec(String((Array.isArray(header) ? header[0] : header) ?? '').trim());
    return m ? trace.setSpanContext(context, { traceId: m[1]!, spanId: m[2]!, traceFlags: parseInt(m[3]!, 16) & 1, isRemote: true }) : context;
  }

  fields(): string[] {
    return ['traceparent', 'tracestate', 'baggage'];
  }
}
