import {
  exporterReport,
  type ConsumeContext,
  type CreateSettings,
  type Exporter,
  type ExporterReport,
  type SignalBatch,
} from '@stitch/collector-api';
import { BufferedFile } from './buffered-file.js';
import type { FileExporterConfig } from './config.js';
import { encodeReadableJson } from './readable-json.js';

/** Appends every batch, any signal, to one file as a line of OTLP JSON (the contrib file exporter's format). */
export class FileExporter implements Exporter {
  readonly #settings: CreateSettings;
  readonly #config: FileExporterConfig;
  readonly #report: ExporterReport;
  #file: BufferedFile | undefined;
  #closed: Promise<void> | undefined;

  constructor(settings: CreateSettings, config: FileExporterConfig) {
    this.#settings = settings;
    this.#config = config;
    this.#report = exporterReport(settings);
  }

  start(): void {
    this.#open();
  }

  async consume(batch: SignalBatch, _context: ConsumeContext): Promise<void> {
    if (this.#closed) throw new Error(`exporter ${this.#settings.id} is shut down`);
    const { signal } = batch;
    const { json, items, skipped, problems } = encodeReadableJson(batch);
    if (skipped > 0) {
      this.#report.sendFailed(signal, skipped);
      this.#settings.logger.error({ signal, skipped, written: items, problems: problems.slice(0, 5) }, 'records that do not decode were left out of the file');
    }
    if (items === 0 && skipped > 0) return;
    try {
      // Acknowledged once written (not merely buffered): the receiver's 200 means the line is in the file.
      await this.#open().write(`${json}\n`);
    } catch (error) {
      this.#report.sendFailed(signal, items);
      throw error;
    }
    this.#report.sent(signal, items);
  }

  /** Resolves once every line consumed so far is on disk. */
  shutdown(): Promise<void> {
    this.#closed ??= this.#file?.close() ?? Promise.resolve();
    return this.#closed;
  }

  #open(): BufferedFile {
    this.#file ??= new BufferedFile(this.#config.path, this.#config.flush_interval, (error) =>
      this.#settings.logger.error({ path: this.#config.path, err: error.message }, 'cannot write to the file'),
    );
    return this.#file;
  }
}
