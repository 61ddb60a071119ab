import { createHmac } from 'node:crypto';
import { fromAnyValue, type AnyValue, type KeyValue } from '@stitch/collector-api';
import type { RedactionConfig } from './config.js';
import { detectorSet, redactText, type DetectorSet } from './detectors.js';
import { KeyRules, type UrlKind } from './keys.js';
import type { Tally } from './tally.js';
import { UrlScrubber } from './url-query.js';

/** What a blocked key's value becomes. */
export const BLOCKED_VALUE = '[REDACTED]';

const own = (value: AnyValue, key: keyof AnyValue) => Object.prototype.hasOwnProperty.call(value, key) && value[key] != null;

/** Already `[REDACTED]` (or `["[REDACTED]"]`): a second pass changes and counts nothing. */
function isBlockedValue(value: AnyValue): boolean {
  if (own(value, 'stringValue')) return value.stringValue === BLOCKED_VALUE;
  const values = own(value, 'arrayValue') ? (value.arrayValue!.values ?? []) : undefined;
  return values?.length === 1 && own(values[0]!, 'stringValue') && values[0]!.stringValue === BLOCKED_VALUE;
}

/**
 * Applies the config's rules to attribute lists, values and free text. Every method returns the
 * input itself when nothing changed, so callers can tell "untouched" by identity and leave the
 * record's bytes alone; changes are new objects (decoded messages may be frozen or shared).
 */
export class Redactor {
  readonly keys: KeyRules;
  readonly #detectors: DetectorSet;
  readonly #urls: UrlScrubber;
  readonly #hmacKey: string;
  readonly #apiKeyByName: boolean;

  constructor(config: RedactionConfig) {
    this.keys = new KeyRules(config);
    this.#detectors = detectorSet(config.detectors);
    this.#urls = new UrlScrubber(new Set(config.url_query.allow.map((key) => key.toLowerCase())));
    this.#hmacKey = config.hash.hmac_key;
    this.#apiKeyByName = config.detectors.includes('api_key');
  }

  /**
   * A record's attribute list. `allowed_keys` applies here (top level only); nested maps get the
   * blocked, protected and api-key-name rules. Findings are tallied under the top-level key.
   */
  attributes(list: readonly KeyValue[], tally: Tally): readonly KeyValue[] {
    let out: KeyValue[] | undefined;
    for (let i = 0; i < list.length; i++) {
      const kv = list[i]!;
      let next: KeyValue | undefined = kv;
      if (this.keys.isProtected(kv.key)) {
        // kept as is
      } else if (!this.keys.isAllowed(kv.key)) {
        tally.add(kv.key, 'allowed_keys');
        next = undefined;
      } else if (this.keys.isHashed(kv.key)) {
        next = this.#hashed(kv, tally);
      } else {
        next = this.#keyValue(kv, kv.key, tally);
      }
      if (next !== kv && out === undefined) out = list.slice(0, i);
      if (out !== undefined && next !== undefined) out.push(next);
    }
    return out ?? list;
  }

  /** A value that is not an attribute (a log body); findings are tallied under `key`. */
  value(value: AnyValue, key: string, tally: Tally): AnyValue {
    return this.#value(value, key, undefined, tally);
  }

  /** Free text that is not an attribute value (a span or event name, a status message). */
  text(text: string, key: string, tally: Tally): string {
    return this.#string(text, key, undefined, tally);
  }

  #keyValue(kv: KeyValue, reportKey: string, tally: Tally): KeyValue {
    if (!kv.value) return kv;
    if (this.keys.isBlocked(kv.key)) {
      // Header values are string arrays in the semantic conventions: an array stays an array.
      const blocked: AnyValue = own(kv.value, 'arrayValue') ? { arrayValue: { values: [{ stringValue: BLOCKED_VALUE }] } } : { stringValue: BLOCKED_VALUE };
      if (isBlockedValue(kv.value)) return kv;
      tally.add(reportKey, 'blocked_key');
      return { key: kv.key, value: blocked };
    }
    if (this.#apiKeyByName && this.keys.isApiKeyName(kv.key)) {
      const current = own(kv.value, 'stringValue') ? kv.value.stringValue! : undefined;
      if (current !== undefined && (current === '' || current.startsWith('[REDACTED'))) return kv;
      tally.add(reportKey, 'api_key');
      return { key: kv.key, value: { stringValue: '[REDACTED:api_key]' } };
    }
    const value = this.#value(kv.value, reportKey, this.keys.urlKind(kv.key), tally);
    return value === kv.value ? kv : { key: kv.key, value };
  }

  #value(value: AnyValue, reportKey: string, urlKind: UrlKind, tally: Tally): AnyValue {
    if (own(value, 'stringValue')) {
      const text = this.#string(value.stringValue!, reportKey, urlKind, tally);
      return text === value.stringValue ? value : { stringValue: text };
    }
    if (own(value, 'arrayValue')) {
      const values = value.arrayValue!.values ?? [];
      let out: AnyValue[] | undefined;
      values.forEach((item, i) => {
        const next = this.#value(item, reportKey, urlKind, tally);
        if (next !== item) (out ??= [...values])[i] = next;
      });
      return out ? { arrayValue: { values: out } } : value;
    }
    if (own(value, 'kvlistValue')) {
      const values = value.kvlistValue!.values ?? [];
      let out: KeyValue[] | undefined;
      values.forEach((kv, i) => {
        if (this.keys.isProtected(kv.key)) return;
        const next = this.#keyValue(kv, reportKey, tally);
        if (next !== kv) (out ??= [...values])[i] = next;
      });
      return out ? { kvlistValue: { values: out } } : value;
    }
    return value; // numbers, booleans and bytes carry no text to scan
  }

  #string(text: string, reportKey: string, urlKind: UrlKind, tally: Tally): string {
    const found = (finding: string) => tally.add(reportKey, finding);
    let out = urlKind === 'query' ? this.#urls.query(text, found) : urlKind === 'url' ? this.#urls.url(text, found) : this.#urls.inText(text, found);
    out = redactText(out, this.#detectors, found);
    return out;
  }

  /** `hash.keys`: the value becomes the hex HMAC-SHA256 of its text, so one user still links. */
  #hashed(kv: KeyValue, tally: Tally): KeyValue {
    if (!kv.value) return kv;
    const plain = fromAnyValue(kv.value);
    if (plain === null || plain === '') return kv;
    const text = typeof plain === 'string' ? plain : JSON.stringify(plain, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    tally.add(kv.key, 'hash');
    return { key: kv.key, value: { stringValue: createHmac('sha256', this.#hmacKey).update(text).digest('hex') } };
  }
}
