import type { RedactionConfig } from './config.js';

/**
 * Keys never touched, whatever the config says: stitching, the store and Jaeger need them, and
 * they hold ids or what this processor itself wrote, not personal data.
 */
export const PROTECTED_KEYS: readonly string[] = [
  'session.id',
  'session.previous_id',
  'service.name',
  'trace_id',
  'span_id',
  'trace.id',
  'span.id',
  'parent_span_id',
  'trace_flags',
  'stitch.stitched',
  'stitch.redaction.count',
  'stitch.redaction.keys',
  'stitch.page_view.id',
  'stitch.web_vital.id',
];
const PROTECTED = new Set(PROTECTED_KEYS);
/**
 * Stitch's own attributes survive `allowed_keys` (the sessions UI and the store read them), but
 * their text is scanned like any other: a button label, a page title or an app's
 * `stitch.context.*` value can hold an e-mail as easily as any attribute.
 */
export const STITCH_PREFIX = 'stitch.';

/** Keys whose value is a URL (the query is scrubbed) or a bare query string. */
const URL_KEYS = new Set(['url.full', 'url.original', 'http.url', 'http.target', 'url', 'href', 'uri', 'referer', 'referrer', 'http.referer', 'http.request.header.referer', 'location']);
const URL_SUFFIXES = ['.url', '_url', '.uri', '.href', '.referer', '.referrer'];
const QUERY_KEYS = new Set(['url.query', 'http.query', 'query_string', 'querystring']);

// "x-api-key", "apikey", "stripe.api_key": the value is a credential whatever it looks like.
const API_KEY_NAME = /(?:^|[._-])api[_-]?key$/;

export type UrlKind = 'url' | 'query' | undefined;

/** How the configured key lists apply to one attribute key; keys are compared in lower case. */
export class KeyRules {
  readonly #allowed: ReadonlySet<string>;
  readonly #blocked: readonly string[];
  readonly #hashed: ReadonlySet<string>;

  constructor(config: RedactionConfig) {
    const lower = (keys: readonly string[]) => keys.map((key) => key.toLowerCase());
    this.#allowed = new Set(lower(config.allowed_keys));
    this.#blocked = lower(config.blocked_keys);
    this.#hashed = new Set(lower(config.hash.keys));
  }

  get restrictsKeys(): boolean {
    return this.#allowed.size > 0;
  }

  isProtected(key: string): boolean {
    return PROTECTED.has(key.toLowerCase());
  }

  /** Kept by `allowed_keys` (everything is, when the list is empty; `stitch.*` always is). */
  isAllowed(key: string): boolean {
    if (this.#allowed.size === 0) return true;
    const lower = key.toLowerCase();
    return this.#allowed.has(lower) || lower.startsWith(STITCH_PREFIX);
  }

  /** `password` blocks `password`, `user.password` and `http.request.header.password`. */
  isBlocked(key: string): boolean {
    const lower = key.toLowerCase();
    return this.#blocked.some((blocked) => lower === blocked || lower.endsWith(`.${blocked}`));
  }

  isHashed(key: string): boolean {
    return this.#hashed.has(key.toLowerCase());
  }

  isApiKeyName(key: string): boolean {
    return API_KEY_NAME.test(key.toLowerCase());
  }

  urlKind(key: string): UrlKind {
    const lower = key.toLowerCase();
    if (QUERY_KEYS.has(lower)) return 'query';
    if (URL_KEYS.has(lower) || URL_SUFFIXES.some((suffix) => lower.endsWith(suffix))) return 'url';
    return undefined;
  }
}
