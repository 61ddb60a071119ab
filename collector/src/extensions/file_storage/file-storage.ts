import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Counter, CreateSettings, RecordLog, RecordLogOptions, StorageClient, StorageExtension } from '@stitch/collector-api';
import type { FileStorageConfig } from './config.js';
import { lockDirectory } from './directory-lock.js';
import { FileRecordLog } from './file-record-log.js';

const MIB = 2 ** 20;

/**
 * Keeps components' records on local disk: each component id gets its own directory under
 * `directory`, and each log in it is a set of checksummed segment files (see file-record-log.ts).
 */
export class FileStorageExtension implements StorageExtension {
  readonly #settings: CreateSettings;
  readonly #config: FileStorageConfig;
  readonly #directory: string;
  readonly #damaged: Counter;
  readonly #logs = new Set<RecordLog>();
  #unlock: (() => void) | undefined;

  constructor(settings: CreateSettings, config: FileStorageConfig) {
    this.#settings = settings;
    this.#config = config;
    this.#directory = resolve(config.directory);
    this.#damaged = settings.telemetry.counter(
      'storage_damaged_records',
      'Damaged (corrupt) or torn (truncated) records skipped when reading persisted logs back',
      ['extension', 'reason'],
    );
  }

  start(): void {
    mkdirSync(this.#directory, { recursive: true });
    this.#unlock = lockDirectory(this.#directory);
    this.#settings.logger.info({ directory: this.#directory, fsync: this.#config.fsync }, 'file storage ready');
  }

  clientFor(componentKind: 'receiver' | 'processor' | 'exporter', componentId: string): StorageClient {
    const componentDirectory = join(this.#directory, `${componentKind}_${encodeURIComponent(componentId)}`);
    return {
      openLog: async (name: string, options: RecordLogOptions = {}) => {
        if (!this.#unlock) throw new Error(`extension ${this.#settings.id} is not running`);
        const directory = join(componentDirectory, encodeURIComponent(name));
        const log = await FileRecordLog.open({
          directory,
          fsync: this.#config.fsync,
          segmentBytes: this.#config.segment_size_mib * MIB,
          maxBytes: options.maxBytes || this.#config.max_size_mib * MIB,
          onDamage: ({ file, corrupt, truncated }) => {
            const labels = { extension: this.#settings.id };
            if (corrupt > 0) this.#damaged.add(corrupt, { ...labels, reason: 'corrupt' });
            if (truncated) this.#damaged.add(1, { ...labels, reason: 'truncated' });
            this.#settings.logger.error(
              { file, corrupt_stretches: corrupt, torn_tail: truncated, component: componentId },
              'skipped damaged records in a persisted log; the rest is recovered',
            );
          },
        });
        this.#logs.add(log);
        return log;
      },
    };
  }

  async shutdown(): Promise<void> {
    // Owners close their logs first (exporters stop before extensions); this catches the rest.
    await Promise.all([...this.#logs].map((log) => log.close()));
    this.#unlock?.();
    this.#unlock = undefined;
  }
}
