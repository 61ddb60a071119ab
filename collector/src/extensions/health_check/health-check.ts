import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Extension, Logger, PipelineWatcher } from '@stitch/collector-api';
import { closeServer, listen } from '../../net/listen.js';
import type { HealthCheckConfig } from './config.js';

type Health = 'starting' | 'ready' | 'draining';

/** GET <path>: 200 once every pipeline runs, 503 while the collector starts or drains. */
export class HealthCheckExtension implements Extension, PipelineWatcher {
  #server: Server | undefined;
  #health: Health = 'starting';
  readonly #since = new Date();

  constructor(
    private readonly config: HealthCheckConfig,
    private readonly logger: Logger,
  ) {}

  get port(): number | undefined {
    return (this.#server?.address() as AddressInfo | null)?.port;
  }

  ready(): void {
    this.#health = 'ready';
  }

  notReady(): void {
    this.#health = 'draining';
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      if (request.url?.split('?')[0] !== this.config.path) {
        response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `health is served at ${this.config.path}` }));
        return;
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' }).end(JSON.stringify({ error: 'use GET' }));
        return;
      }
      const ready = this.#health === 'ready';
      const body = {
        status: ready ? 'Server available' : 'Server not available',
        state: this.#health,
        upSince: this.#since.toISOString(),
        uptime: `${Math.round((Date.now() - this.#since.getTime()) / 1000)}s`,
      };
      response.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    const { host } = await listen(server, this.config.endpoint, 'extensions.health_check');
    this.#server = server;
    this.logger.info({ endpoint: `${host}:${this.port}`, path: this.config.path }, 'health check listening');
  }

  async shutdown(): Promise<void> {
    await closeServer(this.#server);
  }
}
