import { isPipelineWatcher, type Exporter, type Extension, type Host, type Logger } from '@stitch/collector-api';
import type { ResolvedConfig } from '../config/resolve.js';
import { SelfMetrics } from '../telemetry/self-metrics.js';
import { buildGraph, type ComponentGraph, type RunningComponent } from './graph.js';
import { MetricsServer } from './metrics-server.js';

const SHUTDOWN_STEP_TIMEOUT_MS = 30_000;

/** Starts the components of a resolved config in dependency order and drains them on shutdown. */
export class Collector {
  readonly metrics: SelfMetrics;
  readonly #graph: ComponentGraph;
  readonly #metricsServer: MetricsServer | undefined;
  #state: 'created' | 'starting' | 'running' | 'stopping' | 'stopped' = 'created';
  readonly #started: RunningComponent[] = [];

  constructor(
    private readonly config: ResolvedConfig,
    private readonly logger: Logger,
    metrics = new SelfMetrics(),
  ) {
    this.metrics = metrics;
    this.#graph = buildGraph(config, logger, metrics);
    const address = config.telemetry.metrics.address;
    this.#metricsServer = address ? new MetricsServer(address, metrics, logger) : undefined;
  }

  get state(): string {
    return this.#state;
  }

  /** The running instance of a component, e.g. to read a receiver's bound port in tests. */
  component<T>(kind: RunningComponent['kind'], id: string): T | undefined {
    const all = [...this.#graph.extensions, ...this.#graph.exporters, ...this.#graph.processors, ...this.#graph.receivers];
    return all.find((c) => c.kind === kind && c.id === id)?.component as T | undefined;
  }

  get metricsPort(): number | undefined {
    return this.#metricsServer?.port;
  }

  async start(): Promise<void> {
    if (this.#state !== 'created') throw new Error(`collector cannot start while ${this.#state}`);
    this.#state = 'starting';
    const host: Host = {
      getExtension: <T extends Extension>(id: string) => this.#graph.extensions.find((e) => e.id === id)?.component as T | undefined,
      getExporter: <T extends Exporter>(id: string) => this.#graph.exporters.find((e) => e.id === id)?.component as T | undefined,
    };
    const order = [...this.#graph.extensions, ...this.#graph.exporters, ...this.#graph.processors, ...this.#graph.receivers];
    try {
      await this.#metricsServer?.start();
      for (const running of order) {
        await running.component.start?.(host);
        this.#started.push(running);
        this.logger.debug({ kind: running.kind, component: running.id, pipeline: running.pipeline }, 'component started');
      }
    } catch (error) {
      this.logger.error({ err: error }, 'start failed; stopping what had started');
      await this.shutdown();
      throw error;
    }
    this.#state = 'running';
    for (const extension of this.#graph.extensions) if (isPipelineWatcher(extension.component)) extension.component.ready();
    this.logger.info(
      { pipelines: this.config.pipelines.map((p) => p.id), receivers: this.#graph.receivers.map((r) => r.id), exporters: this.#graph.exporters.map((e) => e.id) },
      'collector running',
    );
  }

  /**
   * Receivers stop taking data first, then each pipeline's processors flush downstream in order,
   * then exporters drain their queues, then extensions stop.
   */
  async shutdown(): Promise<void> {
    if (this.#state === 'stopping' || this.#state === 'stopped') return;
    this.#state = 'stopping';
    for (const extension of this.#graph.extensions) if (isPipelineWatcher(extension.component)) extension.component.notReady();
    const started = new Set(this.#started);
    const order = [
      ...this.#graph.receivers,
      ...[...this.#graph.processors].reverse(),
      ...this.#graph.exporters,
      ...this.#graph.extensions,
    ].filter((c) => started.has(c));
    for (const running of order) {
      try {
        await withTimeout(Promise.resolve(running.component.shutdown?.()), SHUTDOWN_STEP_TIMEOUT_MS, `${running.kind} ${running.id}`);
      } catch (error) {
        this.logger.error({ kind: running.kind, component: running.id, err: error }, 'component did not shut down cleanly');
      }
    }
    await this.#metricsServer?.stop();
    this.#state = 'stopped';
    this.logger.info('collector stopped');
  }
}

async function withTimeout(promise: Promise<unknown>, ms: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      promise,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms to shut down`)), ms);
        timer.unref();
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
