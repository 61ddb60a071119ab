import { parseArgs } from 'node:util';
import { formatProblems, loadConfigFile } from './config/load.js';
import { defaultRegistry } from './default-registry.js';
import { Collector } from './service/collector.js';
import { createLogger, type LogLevel } from './telemetry/logger.js';

const USAGE = `Usage: stitch <command> [options]

Commands:
  start      --config <file>   run the collector until SIGTERM/SIGINT
  validate   --config <file>   check a config; exit 1 and print each problem's key path
  components                   list the receiver, processor, exporter and extension types

Options:
  --config, -c <file>   collector config (OpenTelemetry Collector YAML shape)
  --log-level <level>   debug | info | warn | error (overrides service.telemetry.logs.level)
  --help, -h            this text
`;

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command] = parsed.positionals;
  if (parsed.values.help || !command) {
    process.stdout.write(USAGE);
    return command || parsed.values.help ? 0 : 2;
  }
  const registry = defaultRegistry();
  switch (command) {
    case 'components': {
      for (const kind of ['receiver', 'processor', 'exporter', 'extension'] as const) {
        process.stdout.write(`${kind}s: ${registry.types(kind).join(', ')}\n`);
      }
      return 0;
    }
    case 'validate':
    case 'start': {
      const configPath = parsed.values.config;
      if (!configPath) {
        process.stderr.write(`stitch ${command}: --config <file> is required\n`);
        return 2;
      }
      const result = loadConfigFile(configPath, registry);
      if (result.warnings.length > 0) process.stderr.write(`${formatProblems(result.warnings).replace(/^/gm, 'warning: ')}\n`);
      if (!result.ok) {
        process.stderr.write(`${configPath} is not valid:\n${formatProblems(result.problems)}\n`);
        return 1;
      }
      if (command === 'validate') {
        process.stdout.write(`${configPath} is valid: ${result.config.pipelines.map((p) => p.id).join(', ')}\n`);
        return 0;
      }
      const level = (parsed.values['log-level'] ?? result.config.telemetry.logs.level) as LogLevel;
      const logger = createLogger(level);
      return run(new Collector(result.config, logger), logger);
    }
    default:
      process.stderr.write(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

async function run(collector: Collector, logger: ReturnType<typeof createLogger>): Promise<number> {
  try {
    await collector.start();
  } catch (error) {
    logger.error({ err: error }, `collector failed to start: ${(error as Error).message}`);
    return 1;
  }
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting without waiting for the drain');
        process.exit(1);
      }
      stopping = true;
      logger.info({ signal }, 'draining: receivers closed, flushing pipelines and exporters');
      collector.shutdown().then(
        () => resolve(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
