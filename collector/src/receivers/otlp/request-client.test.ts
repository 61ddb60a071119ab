import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { requestClient } from './request-client.js';
import { postJson, startReceiver } from './test-harness.js';

const SPANS = { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 's' }] }] }] };

const fakeRequest = (remoteAddress: string | undefined, headers: Record<string, string> = {}) =>
  ({ socket: { remoteAddress }, headers }) as unknown as IncomingMessage;

describe('otlp receiver: ConsumeContext.client', () => {
  it('is set on every request, with the socket peer and no forwardedFor when the header is absent', async () => {
    const harness = await startReceiver();
    try {
      await postJson(harness.url('/v1/traces'), SPANS);
      await postJson(harness.url('/v1/logs'), { resourceLogs: [] });
      assert.deepEqual(harness.captured.contexts.at(-1)!.client, { address: '127.0.0.1' });
      assert.equal(harness.captured.contexts.at(-1)!.metadata, undefined, 'metadata stays opt-in');
    } finally {
      await harness.stop();
    }
  });

  it('carries X-Forwarded-For raw, next to the metadata when include_metadata is on', async () => {
    const harness = await startReceiver({ include_metadata: true });
    try {
      await postJson(harness.url('/v1/traces'), SPANS, { 'X-Forwarded-For': '8.8.8.8, 10.0.0.7' });
      const context = harness.captured.contexts.at(-1)!;
      assert.deepEqual(context.client, { address: '127.0.0.1', forwardedFor: '8.8.8.8, 10.0.0.7' });
      assert.equal(context.metadata!['x-forwarded-for'], '8.8.8.8, 10.0.0.7');
    } finally {
      await harness.stop();
    }
  });

  it('writes an IPv4-mapped peer as plain IPv4 and leaves IPv6 alone', () => {
    assert.deepEqual(requestClient(fakeRequest('::ffff:203.0.113.9')), { address: '203.0.113.9' });
    assert.deepEqual(requestClient(fakeRequest('2001:db8::7')), { address: '2001:db8::7' });
    assert.deepEqual(requestClient(fakeRequest('::ffff:7f00:1')), { address: '::ffff:7f00:1' }, 'only the dotted form is mapped IPv4');
    assert.deepEqual(requestClient(fakeRequest(undefined, { 'x-forwarded-for': '1.2.3.4' })), { address: '', forwardedFor: '1.2.3.4' }, 'a closed socket has no address');
  });
});
