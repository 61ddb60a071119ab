import { duration, hostPort, z } from '@stitch/collector-api';
import { authSchema } from './auth-config.js';
import { limitsSchema } from './limits-config.js';
import { rateLimitSchema } from './rate-limit-config.js';

export const DEFAULT_ENDPOINT = '127.0.0.1:4318';
/** The OpenTelemetry Collector's default (confighttp), 20 MiB. */
export const DEFAULT_MAX_REQUEST_BODY_SIZE = 20 * 1024 * 1024;
/** Node's own default (16 KiB): the request line and every header together. */
export const DEFAULT_MAX_HEADER_SIZE = 16 * 1024;
export const DEFAULT_MAX_HEADER_COUNT = 100;
export const DEFAULT_MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024;
export const DEFAULT_READ_HEADER_TIMEOUT_MS = 10_000;
export const DEFAULT_READ_TIMEOUT_MS = 60_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

/** A YAML key written with no value (`http:`) means "all defaults", as in the Go collector. */
const orEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((value) => value ?? {}, schema);

// Go's confighttp prepends a missing leading slash rather than rejecting the path.
const urlPath = (fallback: string) =>
  z
    .string()
    .refine((path) => path.trim() !== '' && !/[\s?#]/.test(path), { message: 'expected a URL path such as "/v1/traces"' })
    .transform((path) => (path.startsWith('/') ? path : `/${path}`))
    .default(fallback);

const corsSchema = z.strictObject({
  /** Origins allowed to send from a browser; `*` wildcards (`https://*.example.com`, `http://localhost:*`). */
  allowed_origins: z.array(z.string().min(1)).default([]),
  /** Request headers allowed besides the always-allowed Content-Type, Content-Encoding, Accept… */
  allowed_headers: z.array(z.string().min(1)).default([]),
  /** Seconds a browser may cache a preflight answer; 0 sends no Access-Control-Max-Age. */
  max_age: z.number().int().nonnegative().default(0),
});

const positiveDuration = (fallback: number) =>
  duration()
    .refine((ms) => ms > 0, { message: 'expected a duration above zero such as "10s"' })
    .default(fallback);

const httpSchema = z
  .strictObject({
    endpoint: hostPort().default(DEFAULT_ENDPOINT),
    max_request_body_size: z.number().int().positive().default(DEFAULT_MAX_REQUEST_BODY_SIZE),
    // Absent: the same as max_request_body_size (a gzip bomb stops there).
    max_decompressed_body_size: z.number().int().positive().optional(),
    /** Body bytes (as uploaded, then decompressed) all requests may hold at once; past it → 503. */
    max_in_flight_bytes: z.number().int().positive().default(DEFAULT_MAX_IN_FLIGHT_BYTES),
    max_header_size: z.number().int().min(1024).default(DEFAULT_MAX_HEADER_SIZE),
    max_header_count: z.number().int().positive().default(DEFAULT_MAX_HEADER_COUNT),
    /** Time to receive the request line and headers (slow-loris). */
    read_header_timeout: positiveDuration(DEFAULT_READ_HEADER_TIMEOUT_MS),
    /** Time to receive the whole request, headers and body. */
    read_timeout: positiveDuration(DEFAULT_READ_TIMEOUT_MS),
    /** Time a keep-alive connection may wait, idle, for its next request. */
    idle_timeout: positiveDuration(DEFAULT_IDLE_TIMEOUT_MS),
    include_metadata: z.boolean().default(false),
    traces_url_path: urlPath('/v1/traces'),
    logs_url_path: urlPath('/v1/logs'),
    metrics_url_path: urlPath('/v1/metrics'),
    // Absent or null: no CORS headers at all, so browsers cannot post cross-origin.
    cors: corsSchema.nullish().transform((cors) => cors ?? undefined),
  })
  .superRefine((http, ctx) => {
    // Node refuses a header deadline past the whole-request one; say so in config terms.
    if (http.read_header_timeout > http.read_timeout) {
      ctx.addIssue({
        code: 'custom',
        path: ['read_header_timeout'],
        message: `must not exceed read_timeout (${http.read_timeout} ms), got ${http.read_header_timeout} ms`,
      });
    }
  });

// Worded with ", got " so validateConfig shows it as written (it appends the input otherwise).
const GRPC_UNSUPPORTED =
  'only protocols.http is supported, got protocols.grpc: Stitch has no OTLP/gRPC server; remove it and send OTLP/HTTP (protobuf or JSON, port 4318)';

const protocolsSchema = z.strictObject({
  http: orEmpty(httpSchema),
  // Rejected with its own message so a Go-collector config fails clearly, not as an "unknown key".
  grpc: z
    .unknown()
    .refine(() => false, { message: GRPC_UNSUPPORTED })
    .optional(),
});

export const otlpReceiverConfigSchema = orEmpty(
  z.strictObject({
    protocols: orEmpty(protocolsSchema),
    // Absent: open ingest, as an OpenTelemetry Collector's receiver without an authenticator.
    auth: authSchema.optional(),
    // Absent: no request rate limits.
    rate_limit: rateLimitSchema.optional(),
    // Per-request and per-record bounds; every key has a default.
    limits: orEmpty(limitsSchema),
  }),
);

export type OtlpReceiverConfig = z.output<typeof otlpReceiverConfigSchema>;
export type OtlpHttpConfig = OtlpReceiverConfig['protocols']['http'];
export type OtlpCorsConfig = NonNullable<OtlpHttpConfig['cors']>;
export type { OtlpAuthConfig, IngestKeyConfig } from './auth-config.js';
export type { OtlpRateLimitConfig, Rate } from './rate-limit-config.js';
export type { OtlpLimitsConfig } from './limits-config.js';
