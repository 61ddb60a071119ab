import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { postJson, startReceiver } from './test-harness.js';

const SPANS = { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 's' }] }] }] };

describe('otlp receiver: start and shutdown', () => {
  it('fails to start with a clear error when the port is taken', async () => {
    const first = await startReceiver();
    try {
      const endpoint = `127.0.0.1:${first.receiver.port}`;
      await assert.rejects(startReceiver({ endpoint }), { message: `receivers.otlp: cannot listen on ${endpoint}: address already in use` });
    } finally {
      await first.stop();
    }
  });

  it('lets a request in flight finish before shutdown resolves, then refuses connections', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const harness = await startReceiver({}, { consume: () => released });
    const inFlight = postJson(harness.url('/v1/traces'), SPANS);
    while (harness.captured.traces.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));

    let stopped = false;
    const stopping = harness.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(stopped, false, 'shutdown waits for the request being answered');
    release();
    const reply = await inFlight;
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get('connection'), 'close');
    await stopping;
    await assert.rejects(postJson(harness.url('/v1/traces'), SPANS));
  });

  it('shuts down promptly with idle keep-alive connections open', async () => {
    const harness = await startReceiver();
    assert.equal((await postJson(harness.url('/v1/traces'), SPANS)).status, 200);
    const started = Date.now();
    await harness.stop();
    assert.ok(Date.now() - started < 1000, `shutdown took ${Date.now() - started} ms`);
  });
});

describe('otlp receiver: include_metadata', () => {
  it('passes lower-cased request headers as ConsumeContext.metadata when enabled', async () => {
    const harness = await startReceiver({ include_metadata: true });
    try {
      await postJson(harness.url('/v1/traces'), SPANS, { 'X-Stitch-Key': 'browser-key-1' });
      const metadata = harness.captured.contexts.at(-1)!.metadata!;
      assert.equal(metadata['x-stitch-key'], 'browser-key-1');
      assert.equal(metadata['content-type'], 'application/json');
    } finally {
      await harness.stop();
    }
  });

  it('passes no metadata by default', async () => {
    const harness = await startReceiver();
    try {
      await postJson(harness.url('/v1/traces'), SPANS, { 'X-Stitch-Key': 'browser-key-1' });
      assert.equal(harness.captured.contexts.at(-1)!.metadata, undefined);
    } finally {
      await harness.stop();
    }
  });
});

describe('otlp receiver: custom URL paths', () => {
  it('serves the signals on the configured paths only', async () => {
    const harness = await startReceiver({ traces_url_path: '/otlp/traces' });
    try {
      assert.equal((await postJson(harness.url('/otlp/traces'), SPANS)).status, 200);
      assert.equal((await postJson(harness.url('/otlp/traces?x=1'), SPANS)).status, 200);
      assert.equal((await postJson(harness.url('/v1/traces'), SPANS)).status, 404);
    } finally {
      await harness.stop();
    }
  });
});
