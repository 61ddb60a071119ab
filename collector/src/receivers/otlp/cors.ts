import type { IncomingHttpHeaders } from 'node:http';
import { originPattern } from '../../net/origin-pattern.js';
import type { OtlpCorsConfig } from './config.js';

export { originPattern };

// Headers an OTLP browser exporter sends; always allowed, like rs/cors's defaults in the Go collector.
// Plus the two that carry an ingest key (`auth:`), so a keyed browser sender passes its preflight.
const ALWAYS_ALLOWED_HEADERS = ['accept', 'content-type', 'content-encoding', 'x-requested-with', 'origin', 'authorization', 'x-stitch-key'];
const PREFLIGHT_VARY = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers';

export type PreflightAnswer = { allowed: true; headers: Record<string, string> } | { allowed: false; reason: string };

/** The CORS policy of `cors:`: which browser origins may post, and the headers that tell them so. */
export class CorsPolicy {
  readonly #origins: ((origin: string) => boolean)[];
  readonly #allowAnyHeader: boolean;
  readonly #allowedHeaders: ReadonlySet<string>;
  readonly #maxAge: number;

  constructor(config: OtlpCorsConfig) {
    this.#origins = config.allowed_origins.map(originPattern);
    this.#allowAnyHeader = config.allowed_headers.includes('*');
    this.#allowedHeaders = new Set([...ALWAYS_ALLOWED_HEADERS, ...config.allowed_headers.map((h) => h.toLowerCase())]);
    this.#maxAge = config.max_age;
  }

  isAllowedOrigin(origin: string): boolean {
    return this.#origins.some((matches) => matches(origin));
  }

  /** Headers for an actual (non-preflight) response; undefined when the origin is not allowed. */
  responseHeaders(origin: string | undefined): Record<string, string> | undefined {
    if (origin === undefined || !this.isAllowedOrigin(origin)) return undefined;
    // Echo the origin (never `*`) so the answer stays valid for requests with credentials.
    return { 'Access-Control-Allow-Origin': origin, Vary: 'Origin', 'Access-Control-Expose-Headers': 'Retry-After' };
  }

  /** Answers an OPTIONS preflight carrying `Origin`. */
  preflight(origin: string, headers: IncomingHttpHeaders): PreflightAnswer {
    if (!this.isAllowedOrigin(origin)) return { allowed: false, reason: `origin ${JSON.stringify(origin)} is not allowed by cors.allowed_origins` };
    const method = headers['access-control-request-method'];
    if (method !== undefined && method.toUpperCase() !== 'POST') {
      return { allowed: false, reason: `method ${JSON.stringify(method)} is not allowed: OTLP/HTTP accepts only POST` };
    }
    const answer: Record<string, string> = {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': 'POST',
      Vary: PREFLIGHT_VARY,
    };
    const asked = (headers['access-control-request-headers'] ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter((name) => name !== '');
    // A header left out makes the browser refuse the request, which names the missing header.
    const allowed = asked.filter((name) => this.#allowAnyHeader || this.#allowedHeaders.has(name));
    if (allowed.length > 0) answer['Access-Control-Allow-Headers'] = allowed.join(', ');
    if (this.#maxAge > 0) answer['Access-Control-Max-Age'] = String(this.#maxAge);
    return { allowed: true, headers: answer };
  }
}
