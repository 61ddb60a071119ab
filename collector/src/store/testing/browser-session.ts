// Builds the OTLP JSON a browser with @stitch/web (and the backend it calls) would send for one
// session: page views, clicks, fetches with their backend spans, an exception, web vitals. Tests
// feed it to the store directly or POST it to a collector.
import { randomBytes } from 'node:crypto';
import { decodeJsonRequest, type Logs, type Traces } from '@stitch/collector-api';

export interface SessionScript {
  sessionId: string;
  startMs: number;
  userId?: string;
  userEmail?: string;
  service?: string;
  version?: string;
  environment?: string;
  userAgent?: string;
  /** Resource attributes the enrich processor would add. */
  geo?: { country: string; region?: string; city?: string };
  pages?: string[];
  clicks?: number;
  /** Each API call: a browser fetch span and a backend server span in the same trace (backend without session.id). */
  apiCalls?: { url: string; status: number; durationMs?: number }[];
  /**
   * Resource timing entries as @stitch/web's resource-timing instrumentation sends them
   * (`browser.resource_timing`), 50 ms apart after the page views. Phases in ms; leave them out for
   * a cross-origin resource without Timing-Allow-Origin (the SDK then sends only the duration).
   */
  resources?: ResourceScript[];
  error?: { type: string; message: string; stack: string };
  vitals?: Record<string, number>;
  end?: boolean;
}

export interface ResourceScript {
  url: string;
  initiatorType?: string;
  durationMs: number;
  phases?: { dns: number; connect: number; tls: number; request: number; response: number };
  transferSize?: number;
}

export interface SessionTelemetry {
  traces: Record<string, unknown>;
  logs: Record<string, unknown>;
  /** The backend spans of the API calls, apart (a backend exports on its own). */
  backendTraces: Record<string, unknown>;
  traceIds: string[];
  spanIds: string[];
}

const str = (value: string) => ({ stringValue: value });
const attrs = (record: Record<string, string | number | boolean | undefined>) =>
  Object.entries(record)
    .filter(([, v]) => v !== undefined)
    .map(([key, v]) => ({ key, value: typeof v === 'string' ? str(v) : typeof v === 'boolean' ? { boolValue: v } : Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v } }));
const ns = (ms: number) => (BigInt(Math.round(ms * 1000)) * 1000n).toString();
const id = (bytes: number) => randomBytes(bytes).toString('hex');

export const CHROME_MAC_UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export function browserSession(s: SessionScript): SessionTelemetry {
  const service = s.service ?? 'shop-web';
  const resource = {
    attributes: attrs({
      'service.name': service,
      'service.version': s.version ?? '1.0.0',
      'deployment.environment.name': s.environment ?? 'production',
      'telemetry.sdk.language': 'webjs',
      'user_agent.original': s.userAgent ?? CHROME_MAC_UA,
      'user_agent.name': s.userAgent ? undefined : 'Google Chrome',
      'user_agent.version': s.userAgent ? undefined : '131',
      'os.name': s.userAgent ? undefined : 'macOS',
      'stitch.device.type': s.userAgent ? undefined : 'desktop',
      'stitch.screen.size': '1512x982',
      'stitch.viewport.size': '1280x800',
      'network.connection.type': 'wifi',
      'geo.country.iso_code': s.geo?.country,
      'geo.region.iso_code': s.geo?.region,
      'geo.locality.name': s.geo?.city,
    }),
  };
  const user = { 'user.hash': s.userId, 'user.email': s.userEmail };
  const common = (t: number, extra: Record<string, string | number | boolean | undefined> = {}) => attrs({ 'session.id': s.sessionId, ...user, ...extra });
  const spans: Record<string, unknown>[] = [];
  const backendSpans: Record<string, unknown>[] = [];
  const logs: Record<string, unknown>[] = [];
  const traceIds: string[] = [];
  const spanIds: string[] = [];
  let t = s.startMs;
  const event = (name: string, at: number, extra: Record<string, string | number | boolean | undefined>, severity = 9, ids: { traceId?: string; spanId?: string } = {}) =>
    logs.push({ timeUnixNano: ns(at), observedTimeUnixNano: ns(at), severityNumber: severity, eventName: name, attributes: common(at, extra), ...ids });

  event('session.start', t, {});
  for (const page of s.pages ?? ['https://shop.example.com/']) {
    event('browser.page_view', t, { 'url.full': page });
    t += 1_000;
  }
  for (const r of s.resources ?? []) {
    event('browser.resource_timing', t, {
      'url.full': r.url,
      'stitch.resource.initiator_type': r.initiatorType ?? 'script',
      'stitch.resource.duration_ms': r.durationMs,
      'stitch.resource.dns_ms': r.phases?.dns,
      'stitch.resource.connect_ms': r.phases?.connect,
      'stitch.resource.tls_ms': r.phases?.tls,
      'stitch.resource.request_ms': r.phases?.request,
      'stitch.resource.response_ms': r.phases?.response,
      'stitch.resource.transfer_size': r.phases ? (r.transferSize ?? 0) : undefined,
    });
    t += 50;
  }
  for (let i = 0; i < (s.clicks ?? 0); i++) {
    event('browser.user_action', t, { 'stitch.action.type': 'click', 'stitch.action.target': `button#add-to-cart-${i}` });
    t += 500;
  }
  for (const call of s.apiCalls ?? []) {
    const traceId = id(16);
    const clientSpanId = id(8);
    const serverSpanId = id(8);
    const duration = call.durationMs ?? 40;
    traceIds.push(traceId);
    spanIds.push(clientSpanId, serverSpanId);
    spans.push({
      traceId,
      spanId: clientSpanId,
      name: `HTTP POST`,
      kind: 3,
      startTimeUnixNano: ns(t),
      endTimeUnixNano: ns(t + duration),
      attributes: common(t, { 'http.request.method': 'POST', 'url.full': call.url, 'http.response.status_code': call.status }),
      status: { code: call.status >= 500 ? 2 : 0 },
    });
    backendSpans.push({
      traceId,
      spanId: serverSpanId,
      parentSpanId: clientSpanId,
      name: `POST ${new URL(call.url).pathname}`,
      kind: 2,
      startTimeUnixNano: ns(t + 5),
      endTimeUnixNano: ns(t + duration - 5),
      attributes: attrs({ 'http.request.method': 'POST', 'http.route': new URL(call.url).pathname, 'http.response.status_code': call.status }),
      status: { code: call.status >= 500 ? 2 : 0 },
    });
    t += duration + 200;
  }
  if (s.error) {
    event('exception', t, { 'exception.type': s.error.type, 'exception.message': s.error.message, 'exception.stacktrace': s.error.stack }, 17);
    t += 100;
  }
  for (const [name, value] of Object.entries(s.vitals ?? {})) {
    event('browser.web_vital', t, { 'stitch.web_vital.name': name, 'stitch.web_vital.value': value, 'stitch.web_vital.rating': 'good' });
  }
  if (s.end) event('session.end', t + 1, { 'stitch.session.end_reason': 'inactivity' });
  return {
    traces: { resourceSpans: [{ resource, scopeSpans: [{ scope: { name: '@stitch/web' }, spans }] }] },
    logs: { resourceLogs: [{ resource, scopeLogs: [{ scope: { name: '@stitch/web' }, logRecords: logs }] }] },
    backendTraces: {
      resourceSpans: [
        { resource: { attributes: attrs({ 'service.name': 'shop-api', 'telemetry.sdk.language': 'nodejs' }) }, scopeSpans: [{ scope: { name: '@opentelemetry/instrumentation-http' }, spans: backendSpans }] },
      ],
    },
    traceIds,
    spanIds,
  };
}

export const tracesBatch = (json: Record<string, unknown>): Traces => decodeJsonRequest('traces', JSON.stringify(json)).batch;
export const logsBatch = (json: Record<string, unknown>): Logs => decodeJsonRequest('logs', JSON.stringify(json)).batch;
