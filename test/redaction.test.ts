// The `redaction` processor in a real collector started from YAML: OTLP/JSON over HTTP, through
// redaction and batch, into the file exporter. Planted e-mails and card numbers must not appear in
// what was written; session.id and the legitimate values beside them must.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TestCollector } from './helpers/collector.js';

const EMAIL = 'jane.doe@example.com';
const CARD = '4111 1111 1111 1111';
const SESSION = 'rd-7f3c2a1b';
let collector: TestCollector;

before(async () => {
  collector = await TestCollector.start([], {
    processors: [
      '  redaction:',
      '    blocked_keys: [password, authorization]',
      '    hash: { keys: [user.id], hmac_key: test-key }',
      '  batch:',
      '    timeout: 50ms',
      '',
    ].join('\n'),
    pipelineProcessors: ['redaction', 'batch'],
  });
});

after(async () => {
  await collector?.shutdown();
});

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const resource = { attributes: [str('service.name', 'shop-api')] };

async function post(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${collector.endpoint}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(response.status, 200, await response.text());
}

test('an e-mail and a card number in a span attribute and a log body are redacted; session.id and other values survive', async () => {
  const traceId = 'ad000000000000000000000000000001';
  await post('/v1/traces', {
    resourceSpans: [
      {
        resource,
        scopeSpans: [
          {
            spans: [
              {
                traceId,
                spanId: 'ad00000000000001',
                name: 'POST /api/checkout',
                startTimeUnixNano: '1',
                endTimeUnixNano: '2',
                attributes: [
                  str('session.id', SESSION),
                  str('shop.checkout.note', `receipt to ${EMAIL}, paid with ${CARD}`),
                  str('http.route', '/api/checkout'),
                  str('url.full', 'http://127.0.0.1:3000/api/checkout?coupon=SAVE10&page=2'),
                  str('http.request.header.authorization', 'Basic dXNlcjpwYXNz'),
                  str('user.id', 'u-42'),
                  { key: 'shop.cart.items', value: { intValue: '3' } },
                ],
              },
            ],
          },
        ],
      },
    ],
  });
  await post('/v1/logs', {
    resourceLogs: [
      {
        resource,
        scopeLogs: [
          {
            logRecords: [
              {
                timeUnixNano: '3',
                traceId,
                spanId: 'ad00000000000001',
                body: { stringValue: `payment declined for ${EMAIL} card ${CARD} order 4111111111111112` },
                attributes: [str('session.id', SESSION)],
              },
            ],
          },
        ],
      },
    ],
  });

  const [span] = await collector.waitForSpans((s) => s.traceId === traceId);
  assert.deepEqual(span!.attributes['session.id'], SESSION);
  assert.equal(span!.attributes['shop.checkout.note'], 'receipt to [REDACTED:email], paid with [REDACTED:credit_card]');
  assert.equal(span!.attributes['http.route'], '/api/checkout');
  assert.equal(span!.attributes['url.full'], 'http://127.0.0.1:3000/api/checkout?coupon=REDACTED&page=2');
  assert.equal(span!.attributes['http.request.header.authorization'], '[REDACTED]');
  assert.match(String(span!.attributes['user.id']), /^[0-9a-f]{64}$/);
  assert.equal(Number(span!.attributes['shop.cart.items']), 3);
  assert.equal(Number(span!.attributes['stitch.redaction.count']), 5);
  assert.deepEqual(span!.attributes['stitch.redaction.keys'], ['shop.checkout.note', 'url.full', 'http.request.header.authorization', 'user.id']);
  assert.equal(span!.resource['service.name'], 'shop-api');

  const [log] = await collector.waitForLogs((l) => l.traceId === traceId);
  assert.equal(log!.body, 'payment declined for [REDACTED:email] card [REDACTED:credit_card] order 4111111111111112');
  assert.equal(log!.attributes['session.id'], SESSION);

  const written = collector.rawLines().join('\n');
  for (const planted of [EMAIL, CARD, 'u-42', 'dXNlcjpwYXNz', 'SAVE10']) assert.ok(!written.includes(planted), `${planted} appears nowhere in the output`);
});
