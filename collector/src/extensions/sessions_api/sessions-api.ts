import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Extension, Host, Logger } from '@stitch/collector-api';
import { closeServer, listen } from '../../net/listen.js';
import { createSessionsApiApp } from './app.js';
import { TokenTable } from './auth.js';
import type { SessionsApiConfig } from './config.js';
import { hasSessionStore, resolveStore } from './store-lookup.js';

/** Serves the sessions API (and, later, the sessions UI) over the store of a `sessionstore` exporter. */
export class SessionsApiExtension implements Extension {
  #server: Server | undefined;
  #host: Host | undefined;

  constructor(
    private readonly config: SessionsApiConfig,
    private readonly logger: Logger,
  ) {}

  /** The bound port (the one the OS chose for port 0). */
  get port(): number | undefined {
    return (this.#server?.address() as AddressInfo | null)?.port;
  }

  async start(host: Host): Promise<void> {
    this.#host = host;
    const exporter = host.getExporter(this.config.store);
    // Not fatal: the API still runs and answers 503 with the same explanation.
    if (!exporter) this.logger.warn({ store: this.config.store }, 'extensions.sessions_api.store names an exporter no pipeline uses; the API will answer 503');
    else if (!hasSessionStore(exporter)) this.logger.warn({ store: this.config.store }, 'extensions.sessions_api.store names an exporter that is not a sessionstore; the API will answer 503');

    const app = createSessionsApiApp({
      store: () => resolveStore(this.#host, this.config.store),
      jaegerUiUrl: this.config.jaeger_ui_url,
      corsAllowedOrigins: this.config.cors?.allowed_origins,
      logger: this.logger,
      tokens: this.config.auth ? new TokenTable(this.config.auth.tokens) : undefined,
    });
    const server = createServer(app);
    const { host: boundHost } = await listen(server, this.config.endpoint, 'extensions.sessions_api');
    this.#server = server;
    // Token holders' names and roles only: the tokens themselves never reach a log.
    const auth = this.config.auth ? this.config.auth.tokens.map((t) => `${t.name} (${t.role})`) : 'none (loopback only)';
    this.logger.info({ endpoint: `${boundHost}:${this.port}`, store: this.config.store, auth }, 'sessions API listening');
  }

  async shutdown(): Promise<void> {
    await closeServer(this.#server);
    this.#server = undefined;
  }
}
