// The `enrich` processor in a real collector started from YAML: OTLP/JSON over HTTP from a
// "reverse proxy" on 127.0.0.1 (trusted) that says the browser is 8.8.8.8, through enrich and
// batch, into the file exporter; the real DB-IP database places the address.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TestCollector } from './helpers/collector.js';

const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1';
let collector: TestCollector;
let nextSpan = 1;

before(async () => {
  collector = await TestCollector.start([], {
    processors: [
      '  enrich:',
      '    client_ip:',
      '      trusted_proxies: [127.0.0.1/32]',
      '  batch:',
      '    timeout: 50ms',
      '',
    ].join('\n'),
    pipelineProcessors: ['enrich', 'batch'],
  });
});

after(async () => {
  await collector?.shutdown();
});

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });

function resourceSpans(traceId: string, resource: Record<string, string>) {
  const spanId = (nextSpan++).toString(16).padStart(16, '0');
  return {
    resource: { attributes: Object.entries(resource).map(([k, v]) => str(k, v)) },
    scopeSpans: [{ spans: [{ traceId, spanId, name: 'page view', startTimeUnixNano: '1', endTimeUnixNano: '2' }] }],
  };
}

async function post(body: unknown, headers: Record<string, string> = {}): Promise<void> {
  const response = await fetch(`${collector.endpoint}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 200, await response.text());
}

test('a browser resource sent through a trusted proxy is stored with UA, device and geo attributes and a truncated IP', async () => {
  const trace = 'e0000000000000000000000000000001';
  await post(
    {
      resourceSpans: [
        resourceSpans(trace, { 'service.name': 'shop-web', 'telemetry.sdk.language': 'webjs', 'user_agent.original': SAFARI_IPHONE }),
        resourceSpans(trace, { 'service.name': 'orders', 'telemetry.sdk.language': 'nodejs' }),
      ],
    },
    { 'X-Forwarded-For': '8.8.8.8' },
  );
  const spans = await collector.waitForSpans((s) => s.traceId === trace, { count: 2 });
  const web = spans.find((s) => s.resource['service.name'] === 'shop-web')!;
  assert.deepEqual(web.resource, {
    'service.name': 'shop-web',
    'telemetry.sdk.language': 'webjs',
    'user_agent.original': SAFARI_IPHONE,
    'user_agent.name': 'Mobile Safari',
    'user_agent.version': '17.2',
    'user_agent.os.name': 'iOS',
    'user_agent.os.version': '17.2',
    'stitch.device.type': 'mobile',
    'device.model.name': 'iPhone',
    'device.manufacturer': 'Apple',
    'geo.country.iso_code': 'US',
    'geo.region.iso_code': 'US-CA',
    'geo.locality.name': 'Mountain View',
    'geo.continent.code': 'NA',
    'client.address': '8.8.8.0',
  });
  const backend = spans.find((s) => s.resource['service.name'] === 'orders')!;
  assert.deepEqual(backend.resource, { 'service.name': 'orders', 'telemetry.sdk.language': 'nodejs' }, 'backend resource untouched');
  assert.ok(!collector.rawLines().some((line) => line.includes('8.8.8.8')), 'the full IP is stored nowhere');
});

test('without X-Forwarded-For the loopback peer is the client: no geo, address truncated', async () => {
  const trace = 'e0000000000000000000000000000002';
  await post({ resourceSpans: [resourceSpans(trace, { 'service.name': 'shop-web', 'user_agent.original': SAFARI_IPHONE })] });
  const [span] = await collector.waitForSpans((s) => s.traceId === trace);
  assert.equal(span!.resource['client.address'], '127.0.0.0');
  assert.equal(span!.resource['geo.country.iso_code'], undefined);
  assert.equal(span!.resource['stitch.device.type'], 'mobile');
});
