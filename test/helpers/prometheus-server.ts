// A real Prometheus (Debian's package) on a free loopback port, scraping the given targets every
// second, with its storage in a temporary directory; queried through its HTTP API.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForStatus } from './ports.js';

export const PROMETHEUS = '/usr/bin/prometheus';

interface QueryResponse {
  status: string;
  error?: string;
  data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
}

export class PrometheusServer {
  #output = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly url: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.#output = (this.#output + chunk.toString()).slice(-4000)));
    child.stderr?.on('data', (chunk: Buffer) => (this.#output = (this.#output + chunk.toString()).slice(-4000)));
  }

  /** `jobs`: job name → `host:port` targets serving /metrics; `ruleFiles`: absolute paths of rule files to load. */
  static async start(jobs: Record<string, string[]>, ruleFiles: string[] = []): Promise<PrometheusServer> {
    const dir = await mkdtemp(join(tmpdir(), 'stitch-prometheus-'));
    const scrapeConfigs = Object.entries(jobs)
      .map(([job, targets]) => `  - job_name: ${JSON.stringify(job)}\n    static_configs:\n      - targets: ${JSON.stringify(targets)}`)
      .join('\n');
    const config = join(dir, 'prometheus.yml');
    const rules = ruleFiles.length > 0 ? `rule_files: ${JSON.stringify(ruleFiles)}\n` : '';
    await writeFile(config, `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n${rules}scrape_configs:\n${scrapeConfigs}\n`);
    const port = await freePort();
    const child = spawn(PROMETHEUS, [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new PrometheusServer(child, dir, `http://127.0.0.1:${port}`);
    try {
      await waitForStatus(`${server.url}/-/ready`, 200, 30_000);
    } catch (error) {
      await server.stop();
      throw new Error(`prometheus did not become ready: ${(error as Error).message}\n${server.#output}`);
    }
    return server;
  }

  /** An instant query's result vector. */
  async query(promql: string): Promise<{ metric: Record<string, string>; value: number }[]> {
    const response = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as QueryResponse;
    if (body.status !== 'success' || !body.data) throw new Error(`query ${promql}: ${body.error ?? response.status}`);
    return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  }

  /** GET an API path (`/api/v1/rules`) and return its `data`. */
  async api<T>(path: string): Promise<T> {
    const body = (await (await fetch(`${this.url}${path}`)).json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`${path}: ${body.error}`);
    return body.data;
  }

  /** Polls a query that yields one number until it equals `want` (scrapes are asynchronous); returns the last value. */
  async eventually(promql: string, want: number, timeoutMs = 20_000): Promise<number | undefined> {
    const deadline = Date.now() + timeoutMs;
    let last: number | undefined;
    for (;;) {
      const result = await this.query(promql);
      last = result[0]?.value;
      if (last !== undefined && Math.abs(last - want) < 1e-9) return last;
      if (Date.now() > deadline) return last;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}
