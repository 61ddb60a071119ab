import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { splitHostPort, type Logger } from '@stitch/collector-api';
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
    const { host, port } = splitHostPort(this.address);
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
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(new Error(`service.telemetry.metrics: cannot listen on ${this.address}: ${error.code === 'EADDRINUSE' ? 'address already in use' : error.message}`)),
      );
      server.listen(port, host, () => resolve());
    });
    this.#server = server;
    this.logger.info({ endpoint: `${host}:${this.port}` }, 'self-metrics served on /metrics');
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
