import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { postJson, startReceiver, type Harness } from './test-harness.js';

const HEADER_TIMEOUT_MS = 1000;
const READ_TIMEOUT_MS = 2000;
const IDLE_TIMEOUT_MS = 500;
/** How late past its timeout a close may come on a busy machine (timeouts are checked every 250 ms here). */
const SLACK_MS = 3000;
const TRACES = { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 'ok' }] }] }] };

interface RawClient {
  socket: Socket;
  /** Everything the server wrote. */
  received(): string;
  /** Resolves with the ms from connect until the server closed the socket. */
  closed: Promise<number>;
}

function rawClient(port: number): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    // The server may reset the connection rather than end it; either way it is closed.
    socket.on('error', () => undefined);
    const closed = new Promise<number>((done) => socket.on('close', () => done(Date.now() - started)));
    socket.once('connect', () => resolve({ socket, received: () => text, closed }));
    socket.once('error', reject);
  });
}

/** Writes `text` one byte every `intervalMs` until the socket closes or the text runs out. */
function trickle(socket: Socket, text: string, intervalMs: number): void {
  let index = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || socket.writableEnded || index >= text.length) {
      clearInterval(timer);
      return;
    }
    socket.write(text[index++]!);
  }, intervalMs);
}

describe('otlp receiver timeouts: a slow or idle client cannot hold a connection', () => {
  let harness: Harness;
  before(async () => {
    harness = await startReceiver({
      read_header_timeout: `${HEADER_TIMEOUT_MS}ms`,
      read_timeout: `${READ_TIMEOUT_MS}ms`,
      idle_timeout: `${IDLE_TIMEOUT_MS}ms`,
    });
  });
  after(() => harness.stop());

  it('closes connections that trickle their headers (slow-loris) with 408, while a normal request is served', async () => {
    const headers = `POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${'X-Slow: 1\r\n'.repeat(50)}\r\n`;
    const clients = await Promise.all(Array.from({ length: 5 }, () => rawClient(harness.receiver.port)));
    for (const client of clients) trickle(client.socket, headers, 20);

    // While they trickle, an ordinary client is answered.
    let slowOnesClosed = 0;
    for (const client of clients) void client.closed.then(() => slowOnesClosed++);
    const reply = await postJson(harness.url('/v1/traces'), TRACES);
    assert.equal(reply.status, 200);
    assert.equal(slowOnesClosed, 0, 'the normal request was answered only after the slow ones were closed');

    const closedAfter = await Promise.all(clients.map((client) => client.closed));
    for (const [i, ms] of closedAfter.entries()) {
      // Their headers would need 50 × 11 × 20 ms = 11 s; the server closes after read_header_timeout.
      assert.ok(ms >= HEADER_TIMEOUT_MS - 50 && ms < HEADER_TIMEOUT_MS + SLACK_MS, `slow client ${i} closed after ${ms} ms`);
      assert.match(clients[i]!.received(), /^HTTP\/1\.1 408 Request Timeout\r\n/);
      assert.match(clients[i]!.received(), /read_header_timeout \(1000 ms\)/);
    }
    assert.equal(await harness.settings.metrics.value('stitch_receiver_refused_requests_total', { receiver: 'otlp', transport: 'http', reason: 'timeout' }), 5);
  });

  it('closes a connection whose body trickles past read_timeout', async () => {
    const client = await rawClient(harness.receiver.port);
    const body = JSON.stringify(TRACES);
    client.socket.write(`POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
    trickle(client.socket, body, 50);
    const ms = await client.closed;
    assert.ok(ms >= READ_TIMEOUT_MS - 50 && ms < READ_TIMEOUT_MS + SLACK_MS, `slow body closed after ${ms} ms`);
    assert.match(client.received(), /^HTTP\/1\.1 408 Request Timeout\r\n/);
  });

  it('closes an idle keep-alive connection after idle_timeout', async () => {
    const client = await rawClient(harness.receiver.port);
    const body = JSON.stringify(TRACES);
    const answered = new Promise<number>((resolve) => client.socket.once('data', () => resolve(Date.now())));
    client.socket.write(`POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    const answeredAt = await answered;
    await client.closed;
    assert.match(client.received(), /^HTTP\/1\.1 200 OK\r\n/);
    const idle = Date.now() - answeredAt;
    // node keeps an idle socket about a second past keepAliveTimeout before closing it.
    assert.ok(idle >= IDLE_TIMEOUT_MS - 50 && idle < IDLE_TIMEOUT_MS + 1000 + SLACK_MS, `idle connection closed after ${idle} ms`);
  });
});
