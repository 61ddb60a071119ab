// `npm run bench [-- <id>...] [--profile] [--quick] [--list]`: runs the benchmarks, prints a markdown
// report to stdout (progress goes to stderr) and writes bench/results/latest.{md,json}.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { collectorBenchmark } from './collector-throughput.js';
import { webSdkSizeBenchmark } from './web-sdk-size.js';
import { nodeSdkBenchmark } from './node-sdk-overhead.js';
import { sessionStoreBenchmark } from './session-store.js';
import { killAllNow, REPO_ROOT } from './lib/children.js';
import { markdownTable } from './lib/format.js';
import { describeMachine, machineInfo } from './lib/machine.js';
import type { Benchmark, BenchmarkResult, BenchOptions } from './lib/types.js';

/** Every benchmark, in the order `npm run bench` runs them. Add new ones here. */
const BENCHMARKS: Benchmark[] = [collectorBenchmark, webSdkSizeBenchmark, nodeSdkBenchmark, sessionStoreBenchmark];

const USAGE = `Usage: npm run bench [-- [<benchmark>...] [--profile] [--quick] [--list]]

  <benchmark>   run only these (default: all): ${BENCHMARKS.map((b) => b.id).join(', ')}
  --profile     also run the collector under node --cpu-prof and list its hottest functions
  --quick       short phases, to check the harness (noisy numbers; results are not written)
  --list        list the benchmarks
`;

const started = performance.now();
function log(line: string): void {
  const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(5);
  process.stderr.write(`[${seconds}s] ${line}\n`);
}

function renderResult(result: BenchmarkResult): string {
  const table = markdownTable(
    ['Metric', 'Value', 'Notes'],
    result.rows.map((row) => [row.metric, row.value, row.note ?? '']),
    ['l', 'r', 'l'],
  );
  return [`### ${result.title}`, '', table, '', ...result.notes].join('\n');
}

type StampedResult = BenchmarkResult & { ranAt: string };

/** The results in an earlier latest.json, each with the date of the run that produced it. */
function previousResults(resultsDir: string): StampedResult[] {
  try {
    const previous = JSON.parse(readFileSync(path.join(resultsDir, 'latest.json'), 'utf8')) as { date: string; results: (BenchmarkResult & { ranAt?: string })[] };
    return previous.results
      .filter((r) => BENCHMARKS.some((b) => b.id === r.id))
      .map((r) => ({ ...r, ranAt: r.ranAt ?? previous.date }));
  } catch {
    return [];
  }
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        profile: { type: 'boolean', default: false },
        quick: { type: 'boolean', default: false },
        list: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.values.list) {
    for (const b of BENCHMARKS) process.stdout.write(`${b.id.padEnd(12)} ${b.title}: ${b.summary}\n`);
    return 0;
  }
  const unknown = args.positionals.filter((id) => !BENCHMARKS.some((b) => b.id === id));
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark ${unknown.join(', ')}\n\n${USAGE}`);
    return 2;
  }
  const selected = args.positionals.length > 0 ? BENCHMARKS.filter((b) => args.positionals.includes(b.id)) : BENCHMARKS;
  const options: BenchOptions = { profile: args.values.profile, quick: args.values.quick };

  const machine = machineInfo();
  const date = new Date();
  const resultsDir = path.join(REPO_ROOT, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'stitch-bench-'));
  log(`machine: ${describeMachine(machine)}`);

  const results: BenchmarkResult[] = [];
  try {
    for (const benchmark of selected) {
      log(`── ${benchmark.id}: ${benchmark.title}`);
      const benchDir = path.join(tmpDir, benchmark.id);
      mkdirSync(benchDir);
      results.push(await benchmark.run({ options, tmpDir: benchDir, resultsDir, log: (line) => log(`${line}`) }));
    }
  } finally {
    killAllNow();
    rmSync(tmpDir, { recursive: true, force: true });
  }

  const header = [
    `## Results — ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${describeMachine(machine)}${options.quick ? ' — **quick run: short phases, noisy numbers**' : ''}`,
  ].join('\n');
  const report = [header, ...results.map(renderResult)].join('\n\n') + '\n';
  process.stdout.write(`\n${report}`);

  if (options.quick) {
    log('quick run: bench/results/latest.* left unchanged');
  } else {
    // A run of a subset keeps the other benchmarks' latest results (each stamped with its run's date).
    const stamped: StampedResult[] = results.map((r) => ({ ...r, ranAt: date.toISOString() }));
    const kept = previousResults(resultsDir).filter((r) => !stamped.some((n) => n.id === r.id));
    const all = BENCHMARKS.flatMap((b) => [...stamped, ...kept].filter((r) => r.id === b.id));
    const merged =
      kept.length === 0
        ? report
        : [
            header,
            ...all.map((r) => (kept.includes(r) ? `${renderResult(r)}\n\n_From the run of ${r.ranAt.slice(0, 16).replace('T', ' ')} UTC._` : renderResult(r))),
          ].join('\n\n') + '\n';
    writeFileSync(path.join(resultsDir, 'latest.md'), merged);
    writeFileSync(
      path.join(resultsDir, 'latest.json'),
      `${JSON.stringify({ date: date.toISOString(), machine, options, results: all }, null, 2)}\n`,
    );
    log(`wrote ${path.relative(REPO_ROOT, path.join(resultsDir, 'latest.md'))} and latest.json`);
  }
  log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    killAllNow();
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
