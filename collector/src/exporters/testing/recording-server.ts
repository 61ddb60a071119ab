import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** A request as the test peer received it; `body` is already gunzipped when it was gzipped. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  rawBody: Buffer;
  body: Buffer;
  receivedAt: number;
}

export type Reply = { status?: number; headers?: Record<string, string>; body?: Uint8Array | string } | 'drop-connection';
export type Responder = (request: RecordedRequest, index: number) => Reply | Promise<Reply>;

export interface RecordingServer {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  requests: RecordedRequest[];
  /** TCP connections accepted so far (keep-alive reuses them). */
  connections: number;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that records every request and answers as `respond` says. */
export async function startRecordingServer(respond: Responder = () => ({ status: 200 })): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks);
    const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(rawBody) : rawBody;
    const recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, rawBody, body, receivedAt: Date.now() };
    requests.push(recorded);
    const reply = await respond(recorded, requests.length - 1);
    if (reply === 'drop-connection') {
      req.socket.destroy();
      return;
    }
    res.writeHead(reply.status ?? 200, reply.headers ?? {});
    res.end(reply.body ?? '');
  });
  const state: RecordingServer = {
    url: '',
    requests,
    connections: 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  server.on('connection', () => state.connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
