// Test doubles for the processor: a self-telemetry registry that remembers counts, a logger that
// remembers warnings, and OTLP JSON builders for the records the processor watches.
import { decodeJsonRequest, type CreateSettings, type Logs, type Traces } from '@stitch/collector-api';

export interface RecordingSettings extends CreateSettings {
  counts: Map<string, number>;
  gauges: Map<string, number>;
  warnings: string[];
}

/** Counts are keyed `name{label=value,…}` with labels in name order, e.g. `processor_anomaly_alerts{processor=anomaly,signal=…}`. */
export function recordingSettings(id = 'anomaly'): RecordingSettings {
  const counts = new Map<string, number>();
  const gauges = new Map<string, number>();
  const warnings: string[] = [];
  const key = (name: string, labels: Record<string, string> = {}) =>
    `${name}{${Object.keys(labels)
      .sort()
      .map((k) => `${k}=${labels[k]}`)
      .join(',')}}`;
  const logger = {
    debug() {},
    info() {},
    warn: (_: object | string, msg?: string) => void warnings.push(msg ?? String(_)),
    error: (_: object | string, msg?: string) => void warnings.push(msg ?? String(_)),
    child: () => logger,
  };
  return {
    id,
    logger,
    counts,
    gauges,
    warnings,
    telemetry: {
      counter: (name) => ({ add: (n, labels) => void counts.set(key(name, labels), (counts.get(key(name, labels)) ?? 0) + n) }),
      gauge: (name) => ({ set: (n, labels) => void gauges.set(key(name, labels), n) }),
    },
  };
}

const str = (value: string) => ({ stringValue: value });
const attrs = (record: Record<string, string | number | undefined>) =>
  Object.entries(record)
    .filter(([, v]) => v !== undefined)
    .map(([key, v]) => ({ key, value: typeof v === 'number' ? { intValue: String(v) } : str(v!) }));

const webResource = (version: string) => ({ attributes: attrs({ 'service.name': 'shop-web', 'service.version': version, 'telemetry.sdk.language': 'webjs' }) });

/** Browser log events of `sessions` sessions, `errored` of which have an exception. */
export function sessionLogs(first: number, sessions: number, errored: number, version = '2.0.0'): Logs {
  const logRecords: unknown[] = [];
  for (let i = 0; i < sessions; i++) {
    const sessionId = `sess-${first + i}`;
    logRecords.push({ timeUnixNano: '1', eventName: 'session.start', attributes: attrs({ 'session.id': sessionId }) });
    if (i < errored) logRecords.push({ timeUnixNano: '2', severityNumber: 17, eventName: 'exception', attributes: attrs({ 'session.id': sessionId, 'exception.type': 'TypeError' }) });
  }
  return decodeJsonRequest('logs', JSON.stringify({ resourceLogs: [{ resource: webResource(version), scopeLogs: [{ scope: { name: '@stitch/web' }, logRecords }] }] })).batch as Logs;
}

let spanNo = 1;
const hex = (n: number, bytes: number) => n.toString(16).padStart(bytes * 2, '0');

/** Server spans of `shop-api` on `route` answering `status` (kind 2: server). */
export function apiSpans(count: number, route: string, status: number, kind = 2): Traces {
  const spans = Array.from({ length: count }, () => {
    const n = spanNo++;
    return { traceId: hex(n, 16), spanId: hex(n, 8), name: `POST ${route}`, kind, startTimeUnixNano: '1', endTimeUnixNano: '2', attributes: attrs({ 'http.route': route, 'http.response.status_code': status }) };
  });
  const resource = { attributes: attrs({ 'service.name': 'shop-api', 'service.version': '7.1.0' }) };
  return decodeJsonRequest('traces', JSON.stringify({ resourceSpans: [{ resource, scopeSpans: [{ scope: { name: 'http' }, spans }] }] })).batch as Traces;
}

/** Backend log events named `name` (e.g. `auth.login_failed`), as `eventName` or as the `event.name` attribute. */
export function authLogs(count: number, name: string, asAttribute = false): Logs {
  const logRecords = Array.from({ length: count }, () => (asAttribute ? { timeUnixNano: '1', attributes: attrs({ 'event.name': name }) } : { timeUnixNano: '1', eventName: name, attributes: [] }));
  const resource = { attributes: attrs({ 'service.name': 'shop-api', 'service.version': '7.1.0' }) };
  return decodeJsonRequest('logs', JSON.stringify({ resourceLogs: [{ resource, scopeLogs: [{ scope: { name: 'auth' }, logRecords }] }] })).batch as Logs;
}
