import { context, propagation, trace, type Span } from '@opentelemetry/api';

export interface PropagationTarget {
  shouldPropagate(url: string): boolean;
  sessionId(): string | undefined;
}

const HAS_SESSION_ID = /(^|,)\s*session\.id\s*=/;

/**
 * The headers to add to a request to `url`: `traceparent` for `span` and `baggage` with
 * `session.id=<id>`, or undefined when the URL is not in `propagateTo` or the session is not sampled.
 * `existingBaggage` is the app's own baggage header: session.id is appended to it, never duplicated.
 */
export function propagationHeaders(
  url: string,
  span: Span,
  target: PropagationTarget,
  existingBaggage?: string | null,
): Record<string, string> | undefined {
  const id = target.sessionId();
  if (id === undefined || !target.shouldPropagate(url)) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), carrier);
  const sc = span.spanContext();
  // Works even when the core registered no global propagator.
  if (!carrier.traceparent && trace.isSpanContextValid(sc)) {
    carrier.traceparent = `00-${sc.traceId}-${sc.spanId}-0${sc.traceFlags & 1}`;
  }
  // The global propagator (the core's) may already have written baggage with session.id in it.
  let bag = carrier.baggage ?? '';
  if (!HAS_SESSION_ID.test(bag)) bag = (bag ? bag + ',' : '') + 'session.id=' + encodeURIComponent(id);
  if (existingBaggage) bag = HAS_SESSION_ID.test(existingBaggage) ? existingBaggage : existingBaggage + ',' + bag;
  carrier.baggage = bag;
  return carrier;
}
