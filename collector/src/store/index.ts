export { openSessionStore, SessionStore, type SessionStoreOptions, type StoreStats } from './session-store.js';
export { storeRecords, eventKey, type StoreRecords, type StoreSpan, type StoreEvent, type SessionContext } from './records.js';
export { LATEST_SCHEMA_VERSION, MIGRATIONS } from './schema.js';
export type { WriteOutcome } from './write-path.js';
export * from './types.js';
