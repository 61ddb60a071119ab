import type { LazyRecord } from '@stitch/collector-api';
import type { RedactionConfig } from './config.js';
import type { DetectorName } from './detectors.js';

/** A regex source matching `text` in any letter case, without the slower `i` flag. */
function anyCase(text: string): string {
  return [...text]
    .map((char) => {
      const lower = char.toLowerCase();
      const upper = char.toUpperCase();
      if (lower !== upper) return `[${lower}${upper}]`;
      return char.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    })
    .join('');
}

/**
 * Looser twins of the detectors, run over a record's encoded bytes (read as latin1, so ASCII text
 * appears as itself). No boundaries and no checksums: a string value's first byte sits right
 * after its length prefix, so these only look at what lies inside a match. Anything a detector
 * could find, these find too; what they find in random binary bytes only costs a decode.
 */
const LOOSE: Record<DetectorName, string> = {
  email: '@[A-Za-z0-9-]+\\.',
  credit_card: '\\d(?:[ ().-]{0,2}\\d){7}',
  phone: '\\d(?:[ ().-]{0,2}\\d){7}',
  iban: '[A-Za-z]{2}\\d{2}(?: ?[A-Za-z0-9]){11}',
  jwt: 'eyJ',
  bearer_token: anyCase('bearer'),
  api_key: `[sr]k_(?:live|test)_|A[KS]IA|gh[pousr]_|github_pat_|xox[baprs]-|AIza|${anyCase('api')}[_-]?${anyCase('key')}`,
  ipv4: '\\d\\.\\d{1,3}\\.\\d{1,3}\\.\\d',
  ipv6: ':[0-9A-Fa-f]{0,4}:',
};

/**
 * Decides from a record's bytes whether it could hold anything to redact, so that records which
 * cannot stay undecoded and are forwarded as the bytes they came in.
 */
export class Prefilter {
  readonly #pattern: RegExp | undefined;

  constructor(config: RedactionConfig) {
    if (config.allowed_keys.length > 0) {
      this.#pattern = undefined; // every attribute not listed goes: every record must be read
      return;
    }
    const parts = [
      ...config.detectors.map((name) => LOOSE[name]),
      // A URL query value, fragment parameters, or user:password@ in a URL.
      '[?&#][^\\s&=#?]{0,64}=[^&#\\s]',
      ':\\/\\/[^\\/\\s]*@',
      // Key rules: a blocked, hashed or credential-named key anywhere in the record.
      ...config.blocked_keys.map(anyCase),
      ...config.hash.keys.map(anyCase),
      `${anyCase('api')}[_-]?${anyCase('key')}`,
    ];
    this.#pattern = new RegExp(parts.join('|'));
  }

  /** False only when the record certainly holds nothing to redact. */
  mayNeedRedaction(record: LazyRecord<object>): boolean {
    if (this.#pattern === undefined || record.isDecoded) return true;
    const bytes = record.encode();
    return this.#pattern.test(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'));
  }
}
