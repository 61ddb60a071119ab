// The demo shop's API. Run it as the demo does, with the Node SDK loaded before anything else:
//   node --import @stitch/node/register --import tsx examples/demo-shop/api/server.ts
// express, knex and pino are plain static imports below: the SDK's --import hook is in place
// before this file loads, so the upstream instrumentations see them being loaded.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createApp } from './app.js';
import { API_DEFAULTS, apiOptionsFromEnv, type ApiOptions } from './options.js';
import { openStore } from './store/open-store.js';

export { createApp, type AppOptions } from './app.js';
export type { ApiOptions } from './options.js';

export interface RunningApi {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  url: string;
  /** Stops accepting connections, ends idle keep-alive ones, waits for requests in flight, closes the store. */
  close(): Promise<void>;
}

export async function startApi(options: Partial<ApiOptions> = {}): Promise<RunningApi> {
  const settings = { ...API_DEFAULTS, ...options };
  const logger = options.logger ?? pino({ name: 'demo-shop-api' });
  const db = await openStore(settings.dbFile);
  const app = createApp({ ...settings, db, logger });
  const server = createServer(app);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(settings.port, settings.host, () => resolve());
    });
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${settings.host}:${port}`;
  logger.info({ url, dbFile: settings.dbFile, checkoutFailureRate: settings.checkoutFailureRate, checkoutSlowRate: settings.checkoutSlowRate }, 'api listening');
  let closing: Promise<void> | undefined;
  return {
    url,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await closed;
        await db.destroy();
      })();
      return closing;
    },
  };
}

async function main(): Promise<void> {
  const logger = pino({ name: 'demo-shop-api' });
  let api: RunningApi;
  try {
    api = await startApi({ ...apiOptionsFromEnv(), logger });
  } catch (error) {
    logger.fatal({ err: error }, 'api failed to start');
    process.exitCode = 1;
    return;
  }
  // No process.exit: once the server and the store are closed the event loop drains, and the
  // Node SDK's own SIGTERM handler gets to flush spans and logs on the way out.
  const stop = (signal: string) => {
    logger.info({ signal }, 'api stopping');
    void api.close().then(() => logger.info('api stopped'));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
