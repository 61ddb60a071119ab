// The whole demo as real processes: the Stitch collector, the shop API (under the Node SDK) and
// the frontend server, each started, waited for and stopped in the right order.
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild, type Child } from './child.js';
import { freePort } from './ports.js';
import { repeatFilter } from './repeat-filter.js';

export const DEMO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = resolve(DEMO_DIR, '../..');
export const DEFAULT_COLLECTOR_CONFIG = join(DEMO_DIR, 'otel-config.demo.yaml');
export const DEFAULT_DATA_DIR = join(DEMO_DIR, 'data');

export interface DemoPorts {
  /** OTLP/HTTP receiver. */
  collector: number;
  /** The collector's health_check extension. */
  health: number;
  /** The collector's self-metrics (/metrics). */
  metrics: number;
  /** The prometheus exporter's session, vitals and RED metrics (/metrics). */
  prometheus: number;
  /** The collector's sessions query API (sessions_api extension). */
  sessionsApi: number;
  api: number;
  frontend: number;
}

/** The otel-config defaults and the demo's own. */
export const DEFAULT_PORTS: DemoPorts = { collector: 4318, health: 13133, metrics: 8888, prometheus: 9464, sessionsApi: 8686, api: 3001, frontend: 3000 };

export interface DemoStackOptions {
  /** Ports to use, or 'free' for any free ones (tests). Default DEFAULT_PORTS. */
  ports?: Partial<DemoPorts> | 'free';
  /** Start the API under `--import @stitch/node/register`. Default true. */
  instrumentApi?: boolean;
  /** Collector config file. Default examples/demo-shop/otel-config.demo.yaml. */
  collectorConfig?: string;
  /** Where the collector's .jsonl files (under telemetry/) and the shop database go. Default examples/demo-shop/data. */
  dataDir?: string;
  /** The shop's SQLite file; ':memory:' for a throwaway store. Default <dataDir>/demo-shop.sqlite. */
  dbFile?: string;
  checkoutFailureRate?: number;
  checkoutSlowRate?: number;
  /** Each child's output line, prefixed with its name. Default console.log. */
  log?: (line: string) => void;
  /** Show every collector line, repeats included (retries of a down exporter, debug batches). Default false. */
  verbose?: boolean;
  /** Readiness wait per process. Default 30 s. */
  readyTimeoutMs?: number;
}

export interface DemoStack {
  collectorUrl: string;
  apiUrl: string;
  frontendUrl: string;
  healthUrl: string;
  metricsUrl: string;
  /** The sessions query API's base URL (`/api/sessions`…). */
  sessionsApiUrl: string;
  /** Where the collector's file exporters write traces.jsonl, logs.jsonl and metrics.jsonl. */
  telemetryDir: string;
  dbFile: string;
  ports: DemoPorts;
  instrumentApi: boolean;
  /** Resolves when a child exits without stop() having been called (a crash). */
  crashed: Promise<{ name: string; exit: number | string }>;
  /** Stops the frontend, then the API (its SDK flushes into the collector), then the collector. */
  stop(): Promise<void>;
}

function apiRelativeDbFile(dbFile: string): string {
  if (dbFile === ':memory:') return dbFile;
  const inside = relative(DEMO_DIR, dbFile);
  return inside.startsWith('..') || isAbsolute(inside) ? dbFile : inside;
}

async function resolvePorts(ports: DemoStackOptions['ports']): Promise<DemoPorts> {
  if (ports !== 'free') return { ...DEFAULT_PORTS, ...ports };
  return { collector: await freePort(), health: await freePort(), metrics: await freePort(), prometheus: await freePort(), sessionsApi: await freePort(), api: await freePort(), frontend: await freePort() };
}

export async function startDemoStack(options: DemoStackOptions = {}): Promise<DemoStack> {
  const ports = await resolvePorts(options.ports);
  const instrumentApi = options.instrumentApi ?? true;
  const log = options.log ?? ((line: string) => console.log(line));
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const telemetryDir = join(dataDir, 'telemetry');
  const dbFile = options.dbFile ?? join(dataDir, 'demo-shop.sqlite');
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;

  const host = '127.0.0.1';
  const collectorUrl = `http://${host}:${ports.collector}`;
  const apiUrl = `http://${host}:${ports.api}`;
  const frontendUrl = `http://${host}:${ports.frontend}`;
  const healthUrl = `http://${host}:${ports.health}/`;
  const metricsUrl = `http://${host}:${ports.metrics}/metrics`;
  const sessionsApiUrl = `http://${host}:${ports.sessionsApi}`;
  // A browser may reach the shop as 127.0.0.1 or as localhost; both are separate origins to CORS.
  const frontendOrigins = [frontendUrl, `http://localhost:${ports.frontend}`];

  const children: Child[] = [];
  let stopping = false;
  let reportCrash: (crash: { name: string; exit: number | string }) => void = () => undefined;
  const crashed = new Promise<{ name: string; exit: number | string }>((resolve) => (reportCrash = resolve));
  const watch = (child: Child): Child => {
    children.push(child);
    void child.exited.then((exit) => {
      if (stopping) return;
      log(`[${child.name}] exited unexpectedly (${exit})`);
      reportCrash({ name: child.name, exit });
    });
    return child;
  };
  // The children run in process groups of their own (see child.ts), so nothing else ends them when
  // this process exits without stop(), e.g. on an uncaught error.
  const killLeftovers = () => {
    for (const child of children) if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
  };
  process.once('exit', killLeftovers);
  const stop = async (): Promise<void> => {
    stopping = true;
    for (const child of [...children].reverse()) await child.stop();
    process.removeListener('exit', killLeftovers);
  };

  try {
    const collector = watch(
      startChild({
        name: 'collector',
        command: process.execPath,
        args: [join(REPO_ROOT, 'collector/bin/stitch.mjs'), 'start', '--config', resolve(options.collectorConfig ?? DEFAULT_COLLECTOR_CONFIG)],
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          STITCH_OTLP_ENDPOINT: `${host}:${ports.collector}`,
          STITCH_HEALTH_ENDPOINT: `${host}:${ports.health}`,
          STITCH_METRICS_ENDPOINT: `${host}:${ports.metrics}`,
          STITCH_PROMETHEUS_ENDPOINT: `${host}:${ports.prometheus}`,
          STITCH_SESSIONS_API_ENDPOINT: `${host}:${ports.sessionsApi}`,
          STITCH_DATA_DIR: telemetryDir,
          STITCH_DEMO_FRONTEND_ORIGIN: frontendOrigins[0],
          STITCH_DEMO_FRONTEND_ORIGIN_LOCALHOST: frontendOrigins[1],
        },
        log,
        ...(options.verbose ? {} : { filter: repeatFilter((note) => log(`${'[collector]'.padEnd(12)}${note}`)) }),
      }),
    );
    await collector.waitUntilReady(healthUrl, readyTimeoutMs);

    const api = watch(
      startChild({
        name: 'api',
        command: process.execPath,
        // The SDK's register hook comes first, so express, knex and pino load instrumented.
        args: [...(instrumentApi ? ['--import', '@stitch/node/register'] : []), '--import', 'tsx', 'api/server.ts'],
        cwd: DEMO_DIR,
        env: {
          ...process.env,
          OTEL_SERVICE_NAME: 'demo-shop-api',
          OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl,
          OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=demo,service.version=1.0.0',
          // Export every second rather than every five: a demo wants to see its traces now.
          OTEL_BSP_SCHEDULE_DELAY: '1000',
          OTEL_BLRP_SCHEDULE_DELAY: '1000',
          PORT: String(ports.api),
          // Relative to the API's cwd when possible: the SQL spans are named after it ("first data/demo-shop.sqlite.products").
          DEMO_DB: apiRelativeDbFile(dbFile),
          DEMO_FRONTEND_ORIGIN: frontendOrigins.join(','),
          ...(options.checkoutFailureRate !== undefined ? { DEMO_CHECKOUT_FAILURE_RATE: String(options.checkoutFailureRate) } : {}),
          ...(options.checkoutSlowRate !== undefined ? { DEMO_CHECKOUT_SLOW_RATE: String(options.checkoutSlowRate) } : {}),
        },
        log,
      }),
    );
    await api.waitUntilReady(`${apiUrl}/api/health`, readyTimeoutMs);

    const frontend = watch(
      startChild({
        name: 'frontend',
        command: process.execPath,
        args: ['--import', 'tsx', 'web/server.ts'],
        cwd: DEMO_DIR,
        env: {
          ...process.env,
          PORT: String(ports.frontend),
          DEMO_API_URL: apiUrl,
          DEMO_COLLECTOR_URL: collectorUrl,
          DEMO_ENVIRONMENT: 'demo',
          DEMO_VERSION: '1.0.0',
        },
        log,
      }),
    );
    await frontend.waitUntilReady(`${frontendUrl}/`, readyTimeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }

  return { collectorUrl, apiUrl, frontendUrl, healthUrl, metricsUrl, sessionsApiUrl, telemetryDir, dbFile, ports, instrumentApi, crashed, stop };
}
