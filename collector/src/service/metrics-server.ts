import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@stitch/collector-api';
import { closeServer, listen } from '../net/listen.js';
import type { SelfMetrics } from '../telemetry/self-metrics.js';

/** Serves the collector's self-metrics as Prometheus text on GET /metrics. */
export class MetricsServer {
  #server: Server | undefined;

  constructor(
    private readonly address: string,
    private readonly metrics: SelfMetrics,
    private readonly logger: Logger,
  ) {}

  get port(): number | undefined {
    return (this.#server?.address() as AddressInfo | null)?.port;
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: self-metrics are at GET /metrics\n');
        return;
      }
      this.metrics.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(text),
        (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(error)}\n`),
      );
    });
    const { host } = await listen(server, this.address, 'service.telemetry.metrics');
    this.#server = server;
    this.logger.info({ endpoint: `${host}:${this.port}` }, 'self-metrics served on /metrics');
  }

  async stop(): Promise<void> {
    await closeServer(this.#server);
  }
}
