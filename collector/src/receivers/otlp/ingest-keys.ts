import { timingSafeEqual } from 'node:crypto';
import { originPattern } from '../../net/origin-pattern.js';
import type { IngestKeyConfig } from './auth-config.js';
import { keyFingerprint, keyHash } from './key-fingerprint.js';
import { KEY_QUERY_PARAMETER, type PresentedKey } from './presented-key.js';

export type RefusalReason = 'missing_key' | 'invalid_key' | 'origin_not_allowed';

export type Authentication =
  | { ok: true; /** Index in `auth.keys`: the per-key rate limit's bucket. */ keyIndex: number }
  | { ok: false; status: 401 | 403; reason: RefusalReason; message: string; fingerprint?: string };

interface StoredKey {
  hash: Buffer;
  kind: 'server' | 'browser';
  origins: ((origin: string) => boolean)[];
  index: number;
}

const HOW_TO_SEND = 'send it as "Authorization: Bearer <key>" or "x-stitch-key: <key>"';

/** The keys of `auth.keys` and the rules of who may use each. Holds only their hashes. */
export class IngestKeys {
  readonly #keys: StoredKey[];
  readonly #equal: (a: Buffer, b: Buffer) => boolean;

  /** `equal` is for tests, to watch the comparisons; it is crypto.timingSafeEqual otherwise. */
  constructor(keys: readonly IngestKeyConfig[], equal: (a: Buffer, b: Buffer) => boolean = timingSafeEqual) {
    this.#equal = equal;
    this.#keys = keys.map((entry, index) => ({
      hash: keyHash(entry.key),
      kind: entry.kind,
      origins: (entry.origins ?? []).map(originPattern),
      index,
    }));
  }

  /** For the start-up log: each key's kind and fingerprint, never the key. */
  describe(): string[] {
    return this.#keys.map((stored) => `${stored.kind} sha256:${stored.hash.subarray(0, 3).toString('hex')}`);
  }

  /** False when no key is configured: ingest is open. */
  get enabled(): boolean {
    return this.#keys.length > 0;
  }

  /**
   * Finds the key among the configured ones by hash, comparing with every one of them in constant
   * time (no early exit), so neither the position nor a shared prefix shows in the answer time.
   */
  #find(value: string): StoredKey | undefined {
    const hash = keyHash(value);
    let found: StoredKey | undefined;
    for (const stored of this.#keys) {
      if (this.#equal(hash, stored.hash) && found === undefined) found = stored;
    }
    return found;
  }

  authenticate(presented: PresentedKey | undefined, origin: string | undefined): Authentication {
    if (!presented) {
      return { ok: false, status: 401, reason: 'missing_key', message: `missing ingest key: ${HOW_TO_SEND} (receivers.otlp.auth.keys)` };
    }
    const stored = this.#find(presented.value);
    const fingerprint = keyFingerprint(presented.value);
    if (!stored) {
      return { ok: false, status: 401, reason: 'invalid_key', message: `ingest key not recognized (sha256 ${fingerprint}…): it is not one of receivers.otlp.auth.keys`, fingerprint };
    }
    // A URL ends up in proxy and access logs; only browser keys, public by nature, may travel there.
    if (presented.from === 'query' && stored.kind !== 'browser') {
      return { ok: false, status: 401, reason: 'invalid_key', message: `a server key is not accepted in the ${KEY_QUERY_PARAMETER} query parameter: ${HOW_TO_SEND}`, fingerprint };
    }
    if (stored.kind === 'browser') {
      if (origin === undefined) {
        return { ok: false, status: 403, reason: 'origin_not_allowed', message: 'a browser ingest key needs an Origin header: it is only valid from the sites listed in its origins', fingerprint };
      }
      if (!stored.origins.some((matches) => matches(origin))) {
        return { ok: false, status: 403, reason: 'origin_not_allowed', message: `origin ${JSON.stringify(origin)} is not one of this browser key's origins`, fingerprint };
      }
    }
    return { ok: true, keyIndex: stored.index };
  }
}
