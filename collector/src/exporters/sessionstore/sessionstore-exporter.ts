import { exporterReport, type ConsumeContext, type CreateSettings, type Exporter, type ExporterReport, type SignalBatch } from '@stitch/collector-api';
import { parseUserAgent } from '@stitch/processors';
import { openSessionStore, type SessionStore } from '../../store/index.js';
import type { SessionStoreReader } from '../../store/types.js';
import type { SessionStoreExporterConfig } from './config.js';

/**
 * Writes every span and log event that carries a `session.id` into the embedded session store,
 * which keeps each session's row current; the `sessions_api` extension and `session_stitch`'s
 * persisted trace index read the same store through this exporter.
 */
export class SessionStoreExporter implements Exporter {
  readonly #settings: CreateSettings;
  readonly #config: SessionStoreExporterConfig;
  readonly #report: ExporterReport;
  #store: SessionStore | undefined;
  #closing: Promise<void> | undefined;

  constructor(settings: CreateSettings, config: SessionStoreExporterConfig) {
    this.#settings = settings;
    this.#config = config;
    this.#report = exporterReport(settings);
  }

  /** The open store (undefined before start and after shutdown). */
  get sessionStore(): (SessionStoreReader & Pick<SessionStore, 'lookupTraceSessions' | 'flush'>) | undefined {
    return this.#closing ? undefined : this.#store;
  }

  async start(): Promise<void> {
    const c = this.#config;
    this.#store = await openSessionStore({
      path: c.path,
      retentionMs: c.retention,
      inactivityMs: c.inactivity_timeout,
      refreshIntervalMs: c.refresh_interval,
      memoryLimitMib: c.memory_limit_mib,
      storeClientAddress: c.store_client_address,
      // Without the enrich processor in the pipeline, browser/OS/device still come from the User-Agent.
      parseUserAgent: (ua) => {
        const info = parseUserAgent(ua);
        return { browser: info.name, browserVersion: info.version, os: info.osName, osVersion: info.osVersion, deviceType: info.deviceType };
      },
      logger: this.#settings.logger,
    });
    this.#settings.logger.info({ path: c.path, retention: `${c.retention / 86_400_000}d` }, 'session store open');
  }

  async consume(batch: SignalBatch, _context: ConsumeContext): Promise<void> {
    const store = this.#closing ? undefined : this.#store;
    if (!store) throw new Error(`exporter ${this.#settings.id} is not running`);
    const items = batch.itemCount();
    try {
      await store.write(batch);
    } catch (error) {
      this.#report.sendFailed(batch.signal, items);
      throw error;
    }
    // Items without a session are not the store's business: they count as handled.
    this.#report.sent(batch.signal, items);
  }

  shutdown(): Promise<void> {
    this.#closing ??= this.#store?.close() ?? Promise.resolve();
    return this.#closing;
  }
}
