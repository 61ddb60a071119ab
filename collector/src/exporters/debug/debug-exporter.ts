import {
  batchToJsonObject,
  exporterReport,
  type ConsumeContext,
  type CreateSettings,
  type Exporter,
  type ExporterReport,
  type SignalBatch,
} from '@stitch/collector-api';
import type { DebugExporterConfig } from './config.js';
import { summarizeItem } from './item-summary.js';

const ITEM_MESSAGE = { traces: 'span', logs: 'log record', metrics: 'metric' } as const;

/** Writes what passes through a pipeline to the collector's log, to see it while setting one up. */
export class DebugExporter implements Exporter {
  readonly #settings: CreateSettings;
  readonly #config: DebugExporterConfig;
  readonly #report: ExporterReport;

  constructor(settings: CreateSettings, config: DebugExporterConfig) {
    this.#settings = settings;
    this.#config = config;
    this.#report = exporterReport(settings);
  }

  async consume(batch: SignalBatch, _context: ConsumeContext): Promise<void> {
    const { logger } = this.#settings;
    const { signal } = batch;
    // A debugging aid must not fail a pipeline: a record that does not decode is logged, not thrown.
    try {
      const items = batch.itemCount();
      const summary = { signal, resources: batch.resources.length, items };
      if (this.#config.verbosity === 'detailed') logger.info({ ...summary, otlp: batchToJsonObject(batch) }, 'batch');
      else logger.info(summary, 'batch');
      if (this.#config.verbosity === 'normal') {
        for (const item of batch.items()) logger.info({ signal, ...summarizeItem(signal, item) }, ITEM_MESSAGE[signal]);
      }
      this.#report.sent(signal, items);
    } catch (error) {
      logger.error({ signal, err: error instanceof Error ? error.message : String(error) }, 'cannot show batch');
    }
  }
}
