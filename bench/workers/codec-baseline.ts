// In-process codec baselines on the benchmark's own payloads, timed with process.cpuUsage():
// what plain protobufjs reflection costs per span, and what Stitch's lazy codec costs, with no I/O.
import { readFileSync } from 'node:fs';
import { decodeProtobufRequest, encodeProtobufRequest, OtlpTypes } from '@stitch/collector-api';

export interface BaselineRun {
  type: 'run';
  payloadFiles: string[];
  spansPerPayload: number;
  warmupMs: number;
  measureMs: number;
}

export interface BaselineFigure {
  name: string;
  /** The best of the rounds. */
  spansPerCpuSecond: number;
  /** Every round's rate, to see the noise. */
  roundRates: number[];
  requests: number;
  cpuSeconds: number;
}

export interface BaselineResult {
  type: 'done';
  figures: BaselineFigure[];
}

const ExportTraceServiceRequest = OtlpTypes.ExportTraceServiceRequest;

const cases: { name: string; fn: (payload: Uint8Array) => unknown }[] = [
  { name: 'protobufjs decode', fn: (payload) => ExportTraceServiceRequest.decode(payload) },
  {
    name: 'protobufjs decode + re-encode',
    fn: (payload) => ExportTraceServiceRequest.encode(ExportTraceServiceRequest.decode(payload)).finish(),
  },
  {
    name: 'Stitch lazy codec decode + re-encode',
    fn: (payload) => encodeProtobufRequest(decodeProtobufRequest('traces', payload)),
  },
];

function cpuNow(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

let sink: unknown;

function loop(fn: (payload: Uint8Array) => unknown, payloads: Buffer[], ms: number): { requests: number; cpuSeconds: number } {
  const cpuStart = cpuNow();
  const until = performance.now() + ms;
  let requests = 0;
  while (performance.now() < until) {
    // Several calls between clock reads so the clock is not what is measured.
    for (let i = 0; i < 4; i++) sink = fn(payloads[requests++ % payloads.length]!);
  }
  return { requests, cpuSeconds: cpuNow() - cpuStart };
}

/**
 * Each case runs in `ROUNDS` slices taken round-robin across the cases, and the best slice counts:
 * other work on the machine only ever slows a slice down, so the best one is the least disturbed.
 */
const ROUNDS = 5;

function run(config: BaselineRun): BaselineResult {
  const payloads = config.payloadFiles.map((file) => readFileSync(file));
  for (const c of cases) loop(c.fn, payloads, config.warmupMs);
  const rounds: { requests: number; cpuSeconds: number }[][] = cases.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    cases.forEach((c, i) => rounds[i]!.push(loop(c.fn, payloads, config.measureMs / ROUNDS)));
  }
  const figures = cases.map((c, i) => {
    const rates = rounds[i]!.map((r) => (r.requests * config.spansPerPayload) / r.cpuSeconds);
    const best = rounds[i]![rates.indexOf(Math.max(...rates))]!;
    return {
      name: c.name,
      requests: best.requests,
      cpuSeconds: best.cpuSeconds,
      spansPerCpuSecond: Math.max(...rates),
      roundRates: rates.map(Math.round),
    };
  });
  void sink;
  return { type: 'done', figures };
}

process.on('message', (message: BaselineRun) => {
  if (message.type !== 'run') return;
  try {
    process.send!(run(message));
  } catch (error) {
    process.send!({ type: 'error', error: error instanceof Error ? error.stack : String(error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send!({ type: 'ready' });
