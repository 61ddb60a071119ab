import { decodeJsonRequest, type Logs, type Metrics, type Traces } from '@stitch/collector-api';

const NOW_NS = 1_700_000_000_000_000_000n;
const hex = (n: number, bytes: number) => n.toString(16).padStart(bytes * 2, '0');

/** A traces batch with `count` spans of one service (built through the JSON codec, as a receiver would). */
export function sampleTraces(count: number, service = 'checkout'): Traces {
  const spans = Array.from({ length: count }, (_, i) => ({
    traceId: hex(i + 1, 16),
    spanId: hex(i + 1, 8),
    name: `GET /item/${i}`,
    kind: 2,
    startTimeUnixNano: String(NOW_NS + BigInt(i) * 1_000_000n),
    endTimeUnixNano: String(NOW_NS + BigInt(i) * 1_000_000n + 2_500_000n),
    attributes: [
      { key: 'http.request.method', value: { stringValue: 'GET' } },
      { key: 'http.response.status_code', value: { intValue: '200' } },
    ],
    status: { code: 1 },
  }));
  const request = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [{ scope: { name: 'stitch-test', version: '1.0.0' }, spans }],
      },
    ],
  };
  return decodeJsonRequest('traces', JSON.stringify(request)).batch;
}

export function sampleLogs(count: number): Logs {
  const logRecords = Array.from({ length: count }, (_, i) => ({
    timeUnixNano: String(NOW_NS + BigInt(i)),
    severityNumber: 9,
    severityText: 'INFO',
    body: { stringValue: `log line ${i}` },
    attributes: [{ key: 'session.id', value: { stringValue: 'abc' } }],
  }));
  const request = {
    resourceLogs: [
      { resource: { attributes: [{ key: 'service.name', value: { stringValue: 'web' } }] }, scopeLogs: [{ scope: { name: 'logs' }, logRecords }] },
    ],
  };
  return decodeJsonRequest('logs', JSON.stringify(request)).batch;
}

/** One gauge metric with `points` data points. */
export function sampleMetrics(points: number): Metrics {
  const dataPoints = Array.from({ length: points }, (_, i) => ({
    timeUnixNano: String(NOW_NS),
    asDouble: i + 0.5,
    attributes: [{ key: 'core', value: { intValue: String(i) } }],
  }));
  const request = {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
        scopeMetrics: [{ scope: { name: 'meter' }, metrics: [{ name: 'cpu.usage', unit: '1', gauge: { dataPoints } }] }],
      },
    ],
  };
  return decodeJsonRequest('metrics', JSON.stringify(request)).batch;
}
