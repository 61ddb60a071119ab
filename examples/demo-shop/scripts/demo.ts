// `npm run demo`: the collector, the shop API (under @stitch/node) and the shop's pages (with
// @stitch/web), up until Ctrl-C. `--traffic N` then walks N real browser sessions through the shop.
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { startDemoStack, type DemoStack } from './stack.js';
import { driveSessions } from './traffic.js';

const USAGE = `usage: npm run demo [-- options]

  --traffic N       after start, drive N headless Chromium sessions through the shop
  --seed S          seed for the traffic's random journeys (same seed, same journeys)
  --no-instrument   start the API without --import @stitch/node/register
  --quiet           do not echo the processes' own log lines
  --verbose         echo every collector line (by default a repeated line, such as
                    each retry towards a Jaeger that is not running, is shown once)
  -h, --help        this text

environment: DEMO_CHECKOUT_FAILURE_RATE (default 0.2), DEMO_CHECKOUT_SLOW_RATE (default 0.2)`;

interface DemoArgs {
  traffic: number;
  seed: number | undefined;
  instrumentApi: boolean;
  quiet: boolean;
  verbose: boolean;
}

function parseDemoArgs(argv: string[]): DemoArgs | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      traffic: { type: 'string' },
      seed: { type: 'string' },
      'no-instrument': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return undefined;
  const traffic = values.traffic === undefined ? 0 : Number(values.traffic);
  if (!Number.isInteger(traffic) || traffic < 0) throw new Error(`--traffic must be a whole number ≥ 0, got "${values.traffic}"`);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`--seed must be a whole number, got "${values.seed}"`);
  return { traffic, seed, instrumentApi: !values['no-instrument'], quiet: values.quiet, verbose: values.verbose };
}

const show = (path: string) => relative(process.cwd(), path) || '.';

function banner(stack: DemoStack): string {
  const rows: [string, string][] = [
    ['shop (open this)', `${stack.frontendUrl}/`],
    ['shop API', `${stack.apiUrl}/api/products   ${stack.instrumentApi ? '(node --import @stitch/node/register)' : '(NOT instrumented: --no-instrument)'}`],
    ['collector OTLP/HTTP', `${stack.collectorUrl}/v1/traces, /v1/logs, /v1/metrics`],
    ['collector health', stack.healthUrl],
    ['collector metrics', stack.metricsUrl],
    ['sessions API', `${stack.sessionsApiUrl}/api/sessions`],
    ['telemetry received', `${show(stack.telemetryDir)}/{traces,logs,metrics}.jsonl`],
    ['shop database', show(stack.dbFile)],
    ['Jaeger (if running)', 'traces are also forwarded to http://127.0.0.1:14318 (docker/compose.yaml)'],
    ['test cards', '4242 4242 4242 4242 paid · 4000 0000 0000 0002 declined'],
    ['demo user', 'demo@shop.example / demo'],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return ['', 'Stitch demo shop is running', '', ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`), ''].join('\n');
}

async function main(): Promise<number> {
  let args: DemoArgs | undefined;
  try {
    args = parseDemoArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (!args) {
    console.log(USAGE);
    return 0;
  }
  const { instrumentApi, quiet, verbose, traffic, seed } = args;
  const log = quiet ? () => undefined : (line: string) => console.log(line);
  console.log(`starting the collector, the API${instrumentApi ? ' (instrumented)' : ''} and the frontend …`);
  let stack: DemoStack;
  try {
    stack = await startDemoStack({ instrumentApi, log, verbose });
  } catch (error) {
    console.error(`\nthe demo could not start: ${(error as Error).message}`);
    return 1;
  }

  let stopping: Promise<void> | undefined;
  const stop = (why: string): Promise<void> => {
    stopping ??= (async () => {
      console.log(`\n${why}: stopping the frontend, the API and the collector …`);
      await stack.stop();
      console.log('stopped.');
    })();
    return stopping;
  };
  const finished = new Promise<number>((resolve) => {
    process.once('SIGINT', () => void stop('Ctrl-C').then(() => resolve(0)));
    process.once('SIGTERM', () => void stop('SIGTERM').then(() => resolve(0)));
    void stack.crashed.then(({ name }) => void stop(`${name} crashed`).then(() => resolve(1)));
  });

  console.log(banner(stack));
  if (traffic > 0) {
    try {
      const report = await driveSessions({ frontendUrl: stack.frontendUrl, count: traffic, ...(seed !== undefined ? { seed } : {}), log: (line) => console.log(`[traffic]   ${line}`) });
      console.log(
        `[traffic]   done: ${report.sessions.length} session(s), ${report.orders} order(s), ${report.declined} declined checkout(s), ` +
          `${report.failedLogins} failed login(s), ${report.errors} session error(s); replay with --seed ${report.seed}`,
      );
    } catch (error) {
      // The shop stays up: the traffic is an extra, and the cause is usually the browser (is /usr/bin/chromium installed?).
      console.error(`[traffic]   could not drive sessions: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  if (!stopping) console.log('Press Ctrl-C to stop.');
  return finished;
}

process.exitCode = await main();
