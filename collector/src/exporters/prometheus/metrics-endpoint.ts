import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer, listen } from '../../net/listen.js';

/** `GET /metrics` answering with what `render` produces (Prometheus text); anything else is 404. */
export class MetricsEndpoint {
  #server: Server | undefined;

  constructor(
    private readonly render: () => Promise<string>,
    private readonly contentType: string,
    private readonly configKey: string,
  ) {}

  address(): { host: string; port: number } {
    const address = this.#server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error(`${this.configKey} is not listening`);
    return { host: address.address, port: address.port };
  }

  async start(endpoint: string): Promise<void> {
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: metrics are at GET /metrics\n');
        return;
      }
      this.render().then(
        (body) => response.writeHead(200, { 'content-type': this.contentType }).end(body),
        (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(error)}\n`),
      );
    });
    await listen(server, endpoint, this.configKey);
    this.#server = server;
  }

  stop(): Promise<void> {
    return closeServer(this.#server);
  }
}
