import type { Host } from '@stitch/collector-api';
import type { SessionStoreReader } from '../../store/types.js';

/** What the `sessionstore` exporter offers readers: its store, undefined until the exporter has started. */
export interface SessionStoreHolder {
  readonly sessionStore: SessionStoreReader | undefined;
}

/** True for a component that holds a session store (the `sessionstore` exporter), started or not. */
export function hasSessionStore(value: unknown): value is SessionStoreHolder {
  return typeof value === 'object' && value !== null && 'sessionStore' in value;
}

/** Why no store can answer right now; the API turns it into a 503. */
export class StoreUnavailableError extends Error {
  constructor(
    message: string,
    /** Set when waiting helps (the store is opening), not when the config is wrong. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * Finds the store on each request rather than once at start: extensions start before exporters,
 * so at our start the exporter exists but its store is not open yet.
 */
export function resolveStore(host: Host | undefined, storeId: string): SessionStoreReader {
  if (!host) throw new StoreUnavailableError('the sessions API has not started yet', 1);
  const exporter = host.getExporter(storeId);
  if (!exporter) {
    throw new StoreUnavailableError(
      `extensions.sessions_api.store names exporter ${JSON.stringify(storeId)}, which does not run: ` +
        'define a sessionstore exporter with that id under exporters and list it in a pipeline under service.pipelines',
    );
  }
  if (!hasSessionStore(exporter)) {
    throw new StoreUnavailableError(
      `extensions.sessions_api.store names exporter ${JSON.stringify(storeId)}, which is not a sessionstore exporter`,
    );
  }
  const store = exporter.sessionStore;
  if (!store) throw new StoreUnavailableError(`the session store of exporter ${JSON.stringify(storeId)} is not open yet; retry shortly`, 1);
  return store;
}
