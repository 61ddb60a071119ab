// A real Stitch collector, in-process: the otlp receiver on 127.0.0.1:<free port> (CORS for the given origins)
// and a file exporter (flush_interval 0) whose lines the tests read back.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Collector, defaultRegistry, formatProblems, loadConfigText, silentLogger } from '@stitch/collector';
import type { SessionStoreReader } from '../../collector/src/store/types.js';
import { logsOf, spansOf, type ExportedLog, type ExportedSpan } from './otlp.js';

interface OtlpReceiverLike {
  address(): { host: string; port: number };
}

export interface WaitOptions {
  /** Default 10 s. */
  timeoutMs?: number;
  /** How many matching records to wait for (default 1). */
  count?: number;
  /** Shown when the wait times out. */
  what?: string;
}

export class TestCollector {
  readonly #collector: Collector;
  readonly #file: string;
  readonly #dir: string;
  #offset = 0;
  #lines: unknown[] = [];
  #raw: string[] = [];
  #spans: ExportedSpan[] = [];
  #logs: ExportedLog[] = [];

  private constructor(collector: Collector, dir: string, file: string) {
    this.#collector = collector;
    this.#dir = dir;
    this.#file = file;
  }

  /**
   * Starts a collector accepting browser posts from `allowedOrigins`. `processors` is YAML for
   * the `processors:` section (indented two spaces per level under it), used by the traces and
   * logs pipelines in the order given by `pipelineProcessors`.
   */
  static async start(
    allowedOrigins: string[],
    options: { processors?: string; pipelineProcessors?: string[]; sessionStore?: boolean; browserKey?: string } = {},
  ): Promise<TestCollector> {
    const dir = await mkdtemp(join(tmpdir(), 'stitch-test-collector-'));
    const file = join(dir, 'otlp.jsonl');
    // With sessionStore, spans and logs also reach a real session store (DuckDB file in the temp dir).
    const store = options.sessionStore ? `\n  sessionstore:\n    path: ${JSON.stringify(join(dir, 'sessions.duckdb'))}\n    refresh_interval: 100ms` : '';
    const exporters = JSON.stringify(options.sessionStore ? ['file', 'sessionstore'] : ['file']);
    const yaml = `
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:0
        cors:
          allowed_origins: ${JSON.stringify(allowedOrigins)}
          allowed_headers: ['*']${options.browserKey ? `\n    auth:\n      keys:\n        - { key: ${JSON.stringify(options.browserKey)}, kind: browser, origins: ${JSON.stringify(allowedOrigins)} }` : ''}
${options.processors ? `processors:\n${options.processors}` : ''}
exporters:
  file:
    path: ${JSON.stringify(file)}
    flush_interval: 0s${store}
service:
  pipelines:
    traces: { receivers: [otlp], processors: ${JSON.stringify(options.pipelineProcessors ?? [])}, exporters: ${exporters} }
    logs: { receivers: [otlp], processors: ${JSON.stringify(options.pipelineProcessors ?? [])}, exporters: ${exporters} }
    metrics: { receivers: [otlp], exporters: [file] }
`;
    const result = loadConfigText(yaml, defaultRegistry(), {});
    if (!result.ok) throw new Error(`test collector config: ${formatProblems(result.problems)}`);
    const collector = new Collector(result.config, silentLogger());
    await collector.start();
    return new TestCollector(collector, dir, file);
  }

  /** OTLP/HTTP base URL (`http://127.0.0.1:<port>`): what the SDK's `endpoint` option gets. */
  get endpoint(): string {
    const receiver = this.#collector.component<OtlpReceiverLike>('receiver', 'otlp');
    if (!receiver) throw new Error('test collector has no otlp receiver');
    const { port } = receiver.address();
    return `http://127.0.0.1:${port}`;
  }

  /** The session store, when started with `sessionStore: true`. */
  get sessionStore(): SessionStoreReader {
    const store = this.#collector.component<{ sessionStore?: SessionStoreReader }>('exporter', 'sessionstore')?.sessionStore;
    if (!store) throw new Error('test collector was started without sessionStore: true');
    return store;
  }

  /** Reads lines appended since the last call. */
  #poll(): void {
    if (!existsSync(this.#file)) return;
    const text = readFileSync(this.#file, 'utf8');
    const end = text.lastIndexOf('\n') + 1;
    if (end <= this.#offset) return;
    for (const raw of text.slice(this.#offset, end).split('\n')) {
      if (raw === '') continue;
      const line = this.#lines.length;
      const request: unknown = JSON.parse(raw);
      this.#raw.push(raw);
      this.#lines.push(request);
      this.#spans.push(...spansOf(request, line));
      this.#logs.push(...logsOf(request, line));
    }
    this.#offset = end;
  }

  /** Every span received so far. */
  spans(filter?: (span: ExportedSpan) => boolean): ExportedSpan[] {
    this.#poll();
    return filter ? this.#spans.filter(filter) : [...this.#spans];
  }

  /** Every log record received so far. */
  logs(filter?: (log: ExportedLog) => boolean): ExportedLog[] {
    this.#poll();
    return filter ? this.#logs.filter(filter) : [...this.#logs];
  }

  /** Every export request received so far, as the raw JSON lines (for "appears nowhere" checks). */
  rawLines(): string[] {
    this.#poll();
    return [...this.#raw];
  }

  async waitForSpans(predicate: (span: ExportedSpan) => boolean, options: WaitOptions = {}): Promise<ExportedSpan[]> {
    return this.#waitFor(() => this.spans(predicate), options, 'spans', () => this.spans());
  }

  async waitForLogs(predicate: (log: ExportedLog) => boolean, options: WaitOptions = {}): Promise<ExportedLog[]> {
    return this.#waitFor(() => this.logs(predicate), options, 'log records', () => this.logs());
  }

  /** Waits for any spans or logs matching; returns both. */
  async waitForRecords(
    predicate: (record: ExportedSpan | ExportedLog) => boolean,
    options: WaitOptions = {},
  ): Promise<(ExportedSpan | ExportedLog)[]> {
    const all = () => [...this.spans(), ...this.logs()];
    return this.#waitFor(() => all().filter(predicate), options, 'records', all);
  }

  async #waitFor<T>(find: () => T[], options: WaitOptions, kind: string, everything: () => unknown[]): Promise<T[]> {
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    const count = options.count ?? 1;
    for (;;) {
      const found = find();
      if (found.length >= count) return found;
      if (Date.now() > deadline) {
        throw new Error(
          `timed out waiting for ${count} ${options.what ?? kind} at the collector (found ${found.length}; ` +
            `${everything().length} ${kind} received in all)`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async shutdown(): Promise<void> {
    await this.#collector.shutdown();
    await rm(this.#dir, { recursive: true, force: true });
  }
}
