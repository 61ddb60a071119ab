// Everything a browser test needs, started once per test file: the bundled test app and its web
// server, the backend API, and a real collector whose output the tests read.
import type { TestAppConfig } from '../app/config.js';
import { launchBrowser, type TestBrowser } from './browser.js';
import { buildTestApp } from './build.js';
import { TestCollector } from '../../helpers/collector.js';
import { AppServer, Backend } from './servers.js';

export interface Stack {
  app: AppServer;
  backend: Backend;
  collector: TestCollector;
  /**
   * Sets the options the next pages pass to `Stitch.init`. Each test uses its own `serviceName`
   * so it can pick its records out of the shared collector output (`resource['service.name']`).
   */
  configure(init: Record<string, unknown> & { serviceName: string }, extra?: Partial<TestAppConfig>): void;
  /** A fresh browser profile; closed by `stop()` if the test does not close it. */
  browser(): Promise<TestBrowser>;
  stop(): Promise<void>;
}

/** Options every test passes unless it overrides them: short batching so tests are quick. */
export const FAST_EXPORT: Record<string, unknown> = { batchDelayMs: 200 };

/** `browserKey`: the collector takes data only with this browser ingest key, from the app's origin. */
export async function startStack(options: { alias?: Record<string, string>; browserKey?: string } = {}): Promise<Stack> {
  const files = await buildTestApp(options.alias);
  const backend = new Backend();
  await backend.start();
  const app = new AppServer(files, { endpoint: '', backend: backend.origin, propagateTo: [], init: {} });
  await app.start();
  const collector = await TestCollector.start([app.origin], { browserKey: options.browserKey });
  const escaped = backend.origin.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const base: TestAppConfig = { endpoint: collector.endpoint, backend: backend.origin, propagateTo: [`^${escaped}/api/`], init: {} };
  app.config = base;
  const browsers: TestBrowser[] = [];
  return {
    app,
    backend,
    collector,
    configure(init, extra = {}) {
      app.config = { ...base, ...extra, init: { ...FAST_EXPORT, ...init } };
    },
    async browser() {
      const browser = await launchBrowser(collector.endpoint);
      browsers.push(browser);
      return browser;
    },
    async stop() {
      await Promise.all(browsers.map((b) => b.close()));
      await app.stop();
      await backend.stop();
      await collector.shutdown();
    },
  };
}
