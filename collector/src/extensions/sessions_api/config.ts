import { hostPort, httpUrl, z } from '@stitch/collector-api';

export const DEFAULT_ENDPOINT = '127.0.0.1:8686';

const corsSchema = z.strictObject({
  /** Browser origins allowed to read the API from another origin; `*` wildcards as in the otlp receiver. */
  allowed_origins: z.array(z.string().min(1)).default([]),
});

export const sessionsApiConfigSchema = z.strictObject({
  /** Loopback by default: the API has no authentication yet and returns personal data. */
  endpoint: hostPort().default(DEFAULT_ENDPOINT),
  /** The id of the `sessionstore` exporter (under `exporters:`) whose store the API reads. */
  store: z.string().min(1).default('sessionstore'),
  // An unset `${env:JAEGER_UI_URL}` arrives as "", which means "no links" rather than an error.
  jaeger_ui_url: z
    .union([z.literal(''), httpUrl()])
    .optional()
    .transform((url) => (url ? url.replace(/\/+$/, '') : undefined)),
  // Absent or null: no CORS headers, so only same-origin pages (the sessions UI) can read the API.
  cors: corsSchema.nullish().transform((cors) => cors ?? undefined),
});

export type SessionsApiConfig = z.output<typeof sessionsApiConfigSchema>;
