import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import {
  LogRecordView,
  ResourceGroup,
  ResourceRecord,
  ScopeGroup,
  ScopeRecord,
  SignalBatch,
  SpanRecord,
  toAnyValue,
  type AttributeValue,
  type CreateSettings,
  type KeyValue,
  type LogRecord,
  type Span,
} from '@stitch/collector-api';
import { redactionConfigSchema } from './config.js';
import { RedactionProcessor } from './redaction-processor.js';

const logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => logger };
const EMAIL = 'jane.doe@example.com';
const CARD = '4111 1111 1111 1111';
const SESSION = 'Sx1-203.0.113.5:4111111111111111'; // looks like PII on purpose: session.id is never touched

function settings(): CreateSettings & { counts: Map<string, number> } {
  const counts = new Map<string, number>();
  const counter = (name: string) => ({
    add: (n: number, labels?: Record<string, string>) => {
      if (name !== 'processor_redaction_redactions') return;
      const key = `${labels?.otel_signal}:${labels?.detector}`;
      counts.set(key, (counts.get(key) ?? 0) + n);
    },
  });
  return { id: 'redaction', logger, telemetry: { counter, gauge: () => ({ set() {} }) }, counts };
}

const attrs = (values: Record<string, AttributeValue>): KeyValue[] => Object.entries(values).map(([key, value]) => ({ key, value: toAnyValue(value) }));

/** Records as the protobuf receiver makes them: undecoded bytes. */
function span(fields: Partial<Span> = {}): SpanRecord {
  const value: Span = { traceId: Buffer.alloc(16, 7), spanId: Buffer.alloc(8, 3), name: 'GET /api/products', startTimeUnixNano: 1, endTimeUnixNano: 2, attributes: [], events: [], links: [], ...fields };
  return SpanRecord.fromBytes(SpanRecord.fromValue(value).encode());
}
function log(fields: Partial<LogRecord> = {}): LogRecordView {
  return LogRecordView.fromBytes(LogRecordView.fromValue({ timeUnixNano: 1, attributes: [], ...fields }).encode());
}
function resource(values: Record<string, AttributeValue> = { 'service.name': 'shop' }): ResourceRecord {
  return ResourceRecord.fromBytes(ResourceRecord.fromValue({ attributes: attrs(values) }).encode());
}

async function run<R extends SpanRecord | LogRecordView>(config: object, items: R[], res = resource()) {
  const s = settings();
  const signal = items[0] instanceof SpanRecord ? 'traces' : 'logs';
  const received: SignalBatch[] = [];
  const next = { consume: async (b: SignalBatch) => void received.push(b) };
  const processor = new RedactionProcessor(s, redactionConfigSchema.parse(config), signal, next as never);
  const batch = new SignalBatch(signal, [new ResourceGroup(res, [new ScopeGroup(ScopeRecord.empty(), items)])]);
  await processor.consume(batch as never, {});
  assert.equal(received.length, 1, 'the batch goes on');
  assert.equal(processor.mutatesData, true);
  return { out: received[0]!, counts: s.counts, items, resource: res };
}

test('span attributes: detectors replace only the matched text; session.id, service and Stitch\'s ids survive', async () => {
  const s = span({
    attributes: attrs({
      'session.id': SESSION,
      'stitch.page_view.id': 'pv-01HZY3F0QK2D7',
      'shop.note': `ship to ${EMAIL}, card ${CARD}`,
      'shop.items': 3,
      'http.route': '/api/checkout',
    }),
  });
  const { counts } = await run({}, [s]);
  const a = s.attributes;
  assert.equal(a['session.id'], SESSION);
  assert.equal(a['stitch.page_view.id'], 'pv-01HZY3F0QK2D7');
  assert.equal(a['shop.note'], 'ship to [REDACTED:email], card [REDACTED:credit_card]');
  assert.equal(a['shop.items'], 3);
  assert.equal(a['http.route'], '/api/checkout');
  assert.equal(a['stitch.redaction.count'], 2);
  assert.deepEqual(a['stitch.redaction.keys'], ['shop.note']);
  assert.deepEqual(Object.fromEntries(counts), { 'traces:email': 1, 'traces:credit_card': 1 });
});

test('span name, status message, event (exception) and link attributes are redacted', async () => {
  const s = span({
    name: `GET /users/${EMAIL}`,
    status: { code: 2, message: `declined for ${CARD}` },
    events: [
      {
        timeUnixNano: 5,
        name: 'exception',
        attributes: attrs({
          'exception.type': 'PaymentError',
          'exception.message': `card ${CARD} declined for ${EMAIL}`,
          'exception.stacktrace': `PaymentError: card ${CARD}\n    at charge (/app/payment.ts:12:30)\n    at /app/routes/checkout.ts:40:7`,
        }),
      },
      { timeUnixNano: 6, name: 'retry', attributes: attrs({ attempt: 2 }) },
    ],
    links: [{ traceId: Buffer.alloc(16, 9), spanId: Buffer.alloc(8, 9), attributes: attrs({ 'link.reason': `from 203.0.113.9` }) }],
  });
  await run({}, [s]);
  assert.equal(s.name, 'GET /users/[REDACTED:email]');
  assert.equal(s.status.message, 'declined for [REDACTED:credit_card]');
  const [exception, retry] = s.data.events;
  const ev = Object.fromEntries(exception!.attributes.map((kv) => [kv.key, kv.value?.stringValue]));
  assert.equal(ev['exception.type'], 'PaymentError');
  assert.equal(ev['exception.message'], 'card [REDACTED:credit_card] declined for [REDACTED:email]');
  assert.equal(ev['exception.stacktrace'], 'PaymentError: card [REDACTED:credit_card]\n    at charge (/app/payment.ts:12:30)\n    at /app/routes/checkout.ts:40:7');
  assert.equal(Number(exception!.timeUnixNano), 5, 'the changed event keeps its other fields');
  assert.equal(retry!.name, 'retry');
  assert.equal(Number(retry!.timeUnixNano), 6);
  assert.equal(s.data.links[0]!.attributes[0]!.value?.stringValue, 'from [REDACTED:ipv4]');
  assert.equal(s.traceId, '07'.repeat(16), 'ids untouched');
  assert.deepEqual(s.attribute('stitch.redaction.keys'), ['name', 'exception.message', 'exception.stacktrace', 'link.reason', 'status.message']);
  assert.equal(s.attribute('stitch.redaction.count'), 6);
});

test('URLs: query values not allowed become REDACTED, keys and allowed values stay', async () => {
  const s = span({
    attributes: attrs({
      'url.full': 'https://shop.example.com/search?q=shoes&utm_source=mail&page=2&email=x',
      'url.query': 'q=shoes&page=2',
      'http.url': 'https://shop.example.com/reset?token=abc123',
      'url.original': '/cb#access_token=abc',
      'url.path': '/search',
    }),
  });
  await run({}, [s]);
  const a = s.attributes;
  assert.equal(a['url.full'], 'https://shop.example.com/search?q=REDACTED&utm_source=mail&page=2&email=REDACTED');
  assert.equal(a['url.query'], 'q=REDACTED&page=2');
  assert.equal(a['http.url'], 'https://shop.example.com/reset?token=REDACTED');
  assert.equal(a['url.original'], '/cb#access_token=REDACTED');
  assert.equal(a['url.path'], '/search');
});

test('blocked keys match case-insensitively and as the last key segments, in nested maps too', async () => {
  const s = span({
    attributes: attrs({
      'http.request.header.authorization': ['Basic dXNlcjpwYXNz'],
      Password: 'hunter2',
      'http.request.header.Set-Cookie': 'sid=1',
      'passwordless.enabled': true,
      'x-api-key': 'k-1',
      'shop.form': { user: 'x', password: 'p', nested: { cookie: 'c', ok: 'fine' } },
    }),
  });
  await run({}, [s]);
  const a = s.attributes;
  assert.deepEqual(a['http.request.header.authorization'], ['[REDACTED]'], 'a header array stays an array');
  assert.equal(a['Password'], '[REDACTED]');
  assert.equal(a['http.request.header.Set-Cookie'], '[REDACTED]');
  assert.equal(a['passwordless.enabled'], true, 'a key that only starts with a blocked word is kept');
  assert.equal(a['x-api-key'], '[REDACTED:api_key]');
  assert.deepEqual(a['shop.form'], { user: 'x', password: '[REDACTED]', nested: { cookie: '[REDACTED]', ok: 'fine' } });
});

test('stitch.* text written by the web SDK or the app (button labels, page titles, context) is scanned like any attribute', async () => {
  const s = span({
    attributes: attrs({
      'stitch.action.target': `button "Send receipt to ${EMAIL}"`,
      'stitch.page.title': `Orders of ${EMAIL}`,
      'stitch.context.customer_email': EMAIL,
      'stitch.page.referrer': `https://mail.example.net/inbox?token=t-123`,
      'stitch.action.type': 'click',
    }),
  });
  await run({}, [s]);
  const a = s.attributes;
  assert.equal(a['stitch.action.target'], 'button "Send receipt to [REDACTED:email]"');
  assert.equal(a['stitch.page.title'], 'Orders of [REDACTED:email]');
  assert.equal(a['stitch.context.customer_email'], '[REDACTED:email]');
  assert.equal(a['stitch.page.referrer'], 'https://mail.example.net/inbox?token=REDACTED');
  assert.equal(a['stitch.action.type'], 'click');
});

test('allowed_keys removes every other attribute but never the protected ones, nor stitch.*', async () => {
  const s = span({ attributes: attrs({ 'session.id': 'S1', 'stitch.stitched': true, 'stitch.action.type': 'click', 'http.route': '/x', 'user.email': EMAIL, 'shop.note': 'n' }) });
  const res = resource({ 'service.name': 'shop', 'host.name': 'box-1' });
  const { counts } = await run({ allowed_keys: ['HTTP.route'] }, [s], res);
  assert.deepEqual(Object.keys(s.attributes), ['session.id', 'stitch.stitched', 'stitch.action.type', 'http.route', 'stitch.redaction.count', 'stitch.redaction.keys']);
  assert.deepEqual(s.attribute('stitch.redaction.keys'), ['user.email', 'shop.note']);
  assert.deepEqual(Object.keys(res.attributes), ['service.name', 'stitch.redaction.count', 'stitch.redaction.keys']);
  assert.equal(counts.get('traces:allowed_keys'), 3);
});

test('hash.keys values become hex HMAC-SHA256 with the configured key; the same id gives the same hash', async () => {
  const hmac = (v: string) => createHmac('sha256', 'k3y').update(v).digest('hex');
  const a = span({ attributes: attrs({ 'user.id': 'u-42', 'EndUser.Id': 42 }) });
  const b = log({ attributes: attrs({ 'user.id': 'u-42' }) });
  await run({ hash: { keys: ['user.id', 'enduser.id'], hmac_key: 'k3y' } }, [a]);
  await run({ hash: { keys: ['user.id', 'enduser.id'], hmac_key: 'k3y' } }, [b]);
  assert.equal(a.attribute('user.id'), hmac('u-42'));
  assert.equal(a.attribute('EndUser.Id'), hmac('42'));
  assert.equal(b.attribute('user.id'), hmac('u-42'));
  assert.match(String(a.attribute('user.id')), /^[0-9a-f]{64}$/);
});

test('log records: string and structured bodies and attributes; exception attributes on logs', async () => {
  const text = log({ body: { stringValue: `payment declined for ${EMAIL} card ${CARD}` }, attributes: attrs({ 'session.id': 'S1', 'exception.message': `bad card ${CARD}` }) });
  const structured = log({
    body: toAnyValue({ msg: 'login', user: { email: EMAIL, phone: '+44 20 7946 0958' }, tags: ['ok', `ip 203.0.113.7`], attempts: 3 }),
  });
  const { counts } = await run({}, [text, structured]);
  assert.equal(text.body, 'payment declined for [REDACTED:email] card [REDACTED:credit_card]');
  assert.equal(text.attribute('exception.message'), 'bad card [REDACTED:credit_card]');
  assert.equal(text.attribute('session.id'), 'S1');
  assert.deepEqual(text.attribute('stitch.redaction.keys'), ['body', 'exception.message']);
  assert.deepEqual(structured.body, { msg: 'login', user: { email: '[REDACTED:email]', phone: '[REDACTED:phone]' }, tags: ['ok', 'ip [REDACTED:ipv4]'], attempts: 3 });
  assert.equal(structured.attribute('stitch.redaction.count'), 3);
  assert.deepEqual(Object.fromEntries(counts), { 'logs:email': 2, 'logs:credit_card': 2, 'logs:phone': 1, 'logs:ipv4': 1 });
});

test('resource attributes are redacted; service.name is never touched', async () => {
  const res = resource({ 'service.name': 'shop a@b.io', 'host.ip': '203.0.113.20', 'client.address': '203.0.113.0' });
  await run({}, [span()], res);
  assert.equal(res.attribute('service.name'), 'shop a@b.io');
  assert.equal(res.attribute('host.ip'), '[REDACTED:ipv4]');
  assert.equal(res.attribute('client.address'), '203.0.113.0', 'a network address (what enrich keeps) is not personal');
  assert.deepEqual(res.attribute('stitch.redaction.keys'), ['host.ip']);
});

test('records with nothing to redact stay undecoded bytes; records read but unchanged keep their bytes', async () => {
  const plain = span({ attributes: attrs({ 'http.route': '/api/products', 'http.response.status_code': 200 }) });
  const plainLog = log({ body: { stringValue: 'GET /api/products 200' } });
  const res = resource({ 'service.name': 'orders', 'telemetry.sdk.language': 'nodejs' });
  const before = Buffer.from(plain.encode());
  await run({}, [plain], res);
  await run({}, [plainLog]);
  assert.equal(plain.isDecoded, false, 'span never decoded');
  assert.equal(plainLog.isDecoded, false, 'log never decoded');
  assert.equal(res.isDecoded, false, 'resource never decoded');
  assert.deepEqual(Buffer.from(plain.encode()), before);
  // A version string sends the record through the decoder (it could be an IP) but nothing changes.
  const versioned = span({ attributes: attrs({ 'service.version': 'version 1.2.3.4', 'url.full': 'http://127.0.0.1:3000/api/checkout' }) });
  const bytes = versioned.encode();
  await run({}, [versioned]);
  assert.equal(versioned.encode(), bytes, 'same bytes object: not re-encoded');
  assert.equal(versioned.attribute('stitch.redaction.count'), undefined);
});

test('summary: false redacts without adding stitch.redaction.* attributes; the self-metric still counts', async () => {
  const s = span({ attributes: attrs({ note: EMAIL }) });
  const { counts } = await run({ summary: false }, [s]);
  assert.deepEqual(s.attributes, { note: '[REDACTED:email]' });
  assert.equal(counts.get('traces:email'), 1);
});

test('only the configured detectors run', async () => {
  const s = span({ attributes: attrs({ note: `${EMAIL} 203.0.113.7` }) });
  await run({ detectors: ['ipv4'] }, [s]);
  assert.equal(s.attribute('note'), `${EMAIL} [REDACTED:ipv4]`);
});

test('JSON-decoded records (already decoded) are redacted the same way', async () => {
  const s = SpanRecord.fromValue({ traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 1), name: 'x', startTimeUnixNano: 1, endTimeUnixNano: 2, attributes: attrs({ note: EMAIL }), events: [], links: [] });
  await run({}, [s]);
  assert.equal(s.attribute('note'), '[REDACTED:email]');
});

test('redacting twice changes nothing the second time (chained collectors): same bytes, nothing counted', async () => {
  const s = span({
    name: `GET /users/${EMAIL}`,
    attributes: attrs({ note: `${EMAIL} ${CARD}`, password: 'p', 'http.request.header.cookie': ['a=1'], 'url.full': 'https://x.example/?q=1', big: 2n ** 60n }),
  });
  await run({}, [s]);
  const once = Buffer.from(s.encode());
  const again = SpanRecord.fromBytes(once);
  const { counts } = await run({}, [again]);
  assert.deepEqual(Buffer.from(again.encode()), once);
  assert.equal(counts.size, 0);
  assert.equal(s.attribute('big'), 2n ** 60n, 'a 64-bit integer is untouched');
});
