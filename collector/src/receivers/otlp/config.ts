import { hostPort, z } from '@stitch/collector-api';
import { authSchema } from './auth-config.js';
import { rateLimitSchema } from './rate-limit-config.js';

export const DEFAULT_ENDPOINT = '127.0.0.1:4318';
/** The OpenTelemetry Collector's default (confighttp), 20 MiB. */
export const DEFAULT_MAX_REQUEST_BODY_SIZE = 20 * 1024 * 1024;

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

const httpSchema = z.strictObject({
  endpoint: hostPort().default(DEFAULT_ENDPOINT),
  max_request_body_size: z.number().int().positive().default(DEFAULT_MAX_REQUEST_BODY_SIZE),
  include_metadata: z.boolean().default(false),
  traces_url_path: urlPath('/v1/traces'),
  logs_url_path: urlPath('/v1/logs'),
  metrics_url_path: urlPath('/v1/metrics'),
  // Absent or null: no CORS headers at all, so browsers cannot post cross-origin.
  cors: corsSchema.nullish().transform((cors) => cors ?? undefined),
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
  }),
);

export type OtlpReceiverConfig = z.output<typeof otlpReceiverConfigSchema>;
export type OtlpHttpConfig = OtlpReceiverConfig['protocols']['http'];
export type OtlpCorsConfig = NonNullable<OtlpHttpConfig['cors']>;
export type { OtlpAuthConfig, IngestKeyConfig } from './auth-config.js';
export type { OtlpRateLimitConfig, Rate } from './rate-limit-config.js';
